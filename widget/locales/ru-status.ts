import type { StatusCatalogue } from "./en-status";

/** The status panel's strings in Russian (see en-status.ts). */
export const ruStatus: StatusCatalogue = {
  toldUs: "Что вы сообщили",
  sensitiveLabel: "Пароль или другие секретные данные",
  sensitiveProvided: "Переданы (их видят только наши сотрудники; удаляются при закрытии обращения)",
  onHold: "Обращение ожидает: {reason}",
  onHoldGeneric: "Обращение ожидает ответа третьей стороны, например дата-центра или разработчика программы.",
  escalated: "Обращение ожидает: мы передали его вышестоящему провайдеру и ответим, когда получим от него ответ.",
  closesAt: "Обращение закроется автоматически {date}, если вы не ответите.",
  closedByYou: "Вы закрыли это обращение {date}.",
  resolvedByYou: "Вы отметили это обращение как решённое {date}.",
  closedByStaff: "Наши сотрудники закрыли это обращение {date}.",
  closedByStaffWhy: "Наши сотрудники закрыли это обращение {date}: {reason}",
  closedAutomatically: "Обращение закрыто автоматически {date}, так как ответа не было.",
  howToReopen: "Чтобы открыть его снова, напишите ответ ниже или нажмите «Открыть снова».",
  solved: "Проблема решена?",
  solvedClose: "Да, закрыть обращение",
  stillBroken: "Нет, всё ещё не работает",
  resolvedSaid: "Обращение закрыто как решённое. Спасибо!",
};
