import type { Catalogue } from "./en";
import type { AttachmentCatalogue } from "./en-attachments";
import type { ThreadCatalogue } from "./en-thread";

export const ru: Catalogue = {
  myTickets: "Мои обращения",
  newTicket: "Новое обращение",
  supportOpen: "Поддержка сейчас работает.",
  supportClosedUntil: "Поддержка сейчас не работает; откроемся {when}.",
  supportClosed: "Поддержка сейчас не работает.",
  loading: "Загрузка…",
  loadMore: "Показать ещё",
  filterLabel: "Показать",
  filterAll: "Все обращения",
  noTickets: "У вас пока нет обращений.",
  noTicketsFiltered: "Нет обращений с таким статусом.",
  lastActivity: "Последнее действие {when}",
  department: "Отдел",
  subject: "Тема",
  subjectHint: "Кратко о проблеме, например «Ошибка 500 на example.com».",
  service: "Услуга",
  serviceNone: "Не относится к конкретной услуге",
  message: "Сообщение",
  messageHint: "Пожалуйста, укажите:",
  priority: "Приоритет",
  sensitive: "Пароль или другие секретные данные (необязательно)",
  sensitiveHint:
    "Это увидят только наши сотрудники. Данные хранятся в зашифрованном виде и никогда не отправляются по почте — не пишите пароли в сообщении.",
  qualifiesTitle: "С чем мы помогаем",
  qualifies: "Мы помогаем с",
  notQualifies: "Вне нашей поддержки",
  emergenciesTitle: "Что считается срочным случаем",
  guestsWaitForOpening: "Срочные обращения гостей рассматриваются, когда откроется поддержка.",
  guestName: "Ваше имя",
  guestEmail: "Ваш email",
  guestIntro:
    "Вы не вошли в систему. Мы пришлём личную ссылку для отслеживания обращения; рекомендуем войти в панель управления.",
  yes: "Да",
  no: "Нет",
  submit: "Отправить обращение",
  sending: "Отправка…",
  required: "Обязательное поле.",
  tooShort: "Напишите не меньше {n} символов.",
  tooLong: "Не больше {n} символов.",
  invalidHost: "Введите IP-адрес или имя хоста, например example.com.",
  invalidEmail: "Введите адрес электронной почты.",
  mustBeYes: "Эта опция должна быть включена.",
  fixErrors: "Исправьте отмеченные поля.",
  created: "Обращение №{number} получено.",
  createdIntro: "Мы получили ваше обращение и сообщим, когда ответим.",
  expectBusinessHours: "Поддержка сейчас работает; обычно мы отвечаем в течение нескольких часов.",
  expectOnCall: "Дежурная команда уже оповещена и обычно отвечает в течение часа.",
  expectNextMorning: "Дежурная команда оповещена, но обращение могут увидеть только утром.",
  expectNextBusinessDay: "Поддержка сейчас не работает; мы ответим в следующий рабочий день, с {when}.",
  guestLinkTitle: "Ваша личная ссылка",
  guestLinkHint:
    "Сохраните ссылку: только по ней можно следить за обращением без входа. Не передавайте её другим: любой, у кого она есть, может читать обращение и отвечать в нём.",
  guestLinkOpened:
    "Вы открыли обращение по личной ссылке (мы также отправили её по почте). Не передавайте её другим: любой, у кого она есть, может читать обращение и отвечать в нём.",
  copy: "Скопировать ссылку",
  copied: "Ссылка скопирована.",
  viewTicket: "Открыть обращение",
  retry: "Повторить",
  alreadyFiled:
    "Более ранняя версия этого обращения уже дошла до нас: она в списке «Мои обращения». Чтобы дополнить её, ответьте там; повторная отправка формы создаст новое обращение.",
  networkError: "Не удалось связаться с поддержкой. Текст сохранён; попробуйте ещё раз.",
  sessionExpired: "Сеанс истёк. Обновите страницу.",
  genericError: "Что-то пошло не так: {detail}",
  tooManyRequests: "Слишком много запросов — попробуйте снова через {seconds} с.",
  draftKept: "Черновик хранится в этом браузере, пока не будет отправлен.",
  attachAfterFiling: "Файлы можно приложить к ответу, когда обращение будет отправлено.",
  status_open: "Открыто",
  status_in_progress: "В работе",
  status_answered: "Есть ответ",
  status_on_hold: "Ожидает",
  status_closed: "Закрыто",
  priority_information: "Информация",
  priority_low: "Низкий",
  priority_medium: "Средний",
  priority_high: "Высокий",
  priority_urgent: "Срочный",
  priorityMeaning_information: "Срочных действий не требуется.",
  priorityMeaning_low: "Не спешно.",
  priorityMeaning_medium: "Проблема мешает работе.",
  priorityMeaning_high: "Недовольные пользователи или другая серьёзная проблема.",
  priorityMeaning_urgent: "Авария: сервисы не работают.",
};

/** The thread view's strings (see en-thread.ts). */
export const ruThread: ThreadCatalogue = {
  attachments: "Вложения",
  back: "К моим обращениям",
  staff: "Служба поддержки",
  system: "Система",
  internalNote: "Внутренняя заметка",
  helpfulQuestion: "Ответ был полезен?",
  voteSaved: "Спасибо за отзыв.",
  reply: "Ваш ответ",
  replyClosedHint: "Обращение закрыто. Ответ откроет его снова.",
  sendReply: "Отправить ответ",
  replySent: "Ответ отправлен.",
  alreadySent:
    "Более ранняя версия этого ответа уже дошла до нас: она в переписке выше. Повторная отправка добавит этот текст как новый ответ.",
  closeTicket: "Закрыть обращение",
  reopenTicket: "Открыть снова",
  statusChanged: "Статус обращения: {status}.",
  history: "История",
  historyEntry: "{from} → {to}: {reason}",
};

/** The attachment picker's strings (see en-attachments.ts). */
export const ruAttachments: AttachmentCatalogue = {
  legend: "Вложения",
  hint: "Снимки экрана и журналы помогают нам больше всего: прикладывайте их, а не вставляйте длинный вывод в сообщение.",
  rules: "Подходят: {types}. До {size} на файл; файлов в одном сообщении: не больше {count}.",
  choose: "Выберите файлы",
  orDrop: "или перетащите их сюда",
  progressLabel: "Загрузка {name}",
  uploading: "Загрузка… {percent}",
  uploaded: "Загружено",
  cancelled: "Загрузка отменена",
  cancel: "Отменить",
  cancelLabel: "Отменить загрузку {name}",
  retry: "Повторить",
  retryLabel: "Повторить загрузку {name}",
  remove: "Убрать",
  removeLabel: "Убрать {name}",
  badType: "Файлы такого типа приложить нельзя. Подходят: {types}.",
  tooLarge: "Размер файла {size}, а можно не больше {max}.",
  empty: "Файл пустой.",
  tooMany: "Файлов в одном сообщении: не больше {count}.",
  refused: "Не принят: {detail}",
  failed: "Не удалось загрузить: {detail}",
  networkFailed: "Не удалось загрузить: нет связи с поддержкой.",
  tooManyUploads: "Слишком много запросов — попробуйте снова через {seconds} с.",
  stale:
    "Эту загрузку уже нельзя приложить (загрузки хранятся сутки и прикладываются к одному сообщению); приложите файл ещё раз.",
  waitForUploads: "Файлы ещё загружаются. Дождитесь окончания или отмените загрузку, затем отправьте снова.",
  saidUploading: "Загружается {name}.",
  saidUploaded: "{name}: загружено.",
  saidProblem: "{name}: {reason}",
  saidCancelled: "Загрузка {name} отменена.",
  saidRemoved: "{name}: убрано.",
};

/**
 * The default tenant content (departments, fields, guidance) in Russian, keyed by its English
 * source text: a tenant's own wording has no entry and is shown as the tenant wrote it.
 */
export const ruTenantText: Record<string, string> = {
  "Technical Support": "Техническая поддержка",
  "Server errors, VPS issues, control-panel troubleshooting.":
    "Ошибки сервера, проблемы с VPS, неполадки панели управления.",
  "Billing/Sales": "Оплата и продажи",
  "Invoices, payments, upgrades.": "Счета, платежи, смена тарифа.",
  Abuse: "Жалобы и нарушения",
  "Security incidents, DMCA notices.": "Инциденты безопасности, уведомления DMCA.",
  "IP address or hostname": "IP-адрес или имя хоста",
  "The server or site the problem is on, e.g. 203.0.113.10 or example.com.":
    "Сервер или сайт, на котором проблема, например 203.0.113.10 или example.com.",
  "Remote Assistance enabled?": "Удалённая помощь включена?",
  "Turn on Remote Assistance in your panel before filing.": "Включите удалённую помощь в панели перед отправкой.",
  "With Remote Assistance on, our staff can reach your server without you sending the root password.":
    "Когда удалённая помощь включена, наши сотрудники могут зайти на сервер без вашего пароля root.",
  "Steps to reproduce the problem": "Шаги для воспроизведения проблемы",
  "Exact error messages (copy them, or attach a screenshot)":
    "Точные сообщения об ошибках (скопируйте их или приложите снимок экрана)",
  "Environment: PHP version, operating system": "Окружение: версия PHP, операционная система",
  "Recent changes: plugin updates, DNS changes, .htaccess edits":
    "Недавние изменения: обновления плагинов, изменения DNS, правки .htaccess",
  "What you have already tried": "Что вы уже пробовали сделать",
  "The control panel and its packages: sites, backups, imports and migrations, FTP, DNS, mail, web server, SSL, webmail, clustering":
    "Панель управления и её пакеты: сайты, резервные копии, импорт и миграции, FTP, DNS, почта, веб-сервер, SSL, веб-почта, кластеры",
  "Third-party software and plugins": "Сторонние программы и плагины",
  "System administration and server hardening": "Системное администрирование и усиление защиты сервера",
  "Malware scanning, PCI scans and spam clean-up": "Поиск вредоносного ПО, PCI-сканирование и очистка от спама",
  "Database crashes at system level": "Сбои баз данных на уровне системы",
  "DDoS attacks and disk failures": "DDoS-атаки и отказы дисков",
  "Website code": "Код сайта",
  "Services down: email not processing, websites down, the panel unreachable or not starting":
    "Сервисы не работают: почта не обрабатывается, сайты недоступны, панель недоступна или не запускается",
  "Service interruption: maintenance mode, failed upgrade steps, package-manager failures, stuck command queues on cluster nodes":
    "Перебои в работе: режим обслуживания, сбой шагов обновления, ошибки менеджера пакетов, зависшие очереди команд на узлах кластера",
};
