import { describe, expect, it } from "vitest";
import { mentionsPassword } from "../../worker/email/password";
import { type ContentFixture, EXPECTED } from "./fixtures/mail";

const CONTENT_FIXTURES = Object.keys(EXPECTED) as ContentFixture[];

describe("mentionsPassword", () => {
  it.each([
    "password: hunter2",
    "Password = correcthorsebattery",
    "pass = x",
    "pwd: Tr0ub4dor&3",
    "PW: blue-sky",
    "my password is hunter2",
    "The root password is 'correct horse'",
    "Our admin password is now Summer2026!",
    "login/pass: alice/Sunflower-42",
    "You can log in: the FTP password: Sunflower-42",
    "Password for the database: s3cr3t",
    "user alice\npassword:\n  Sunflower-42",
    "password Sunflower-42",
    "пароль: qwerty123",
    "мой пароль — Sunflower-42",
    "пароль от FTP: Sunflower-42",
    "логин/пароль: alice/Sunflower-42",
    "пароль qwerty123",
    "Пароль такой: Лето2026",
  ])("flags %j", (text) => {
    expect(mentionsPassword(text)).toBe(true);
  });

  it.each([
    "I reset my password yesterday",
    "password reset link doesn't work",
    "I forgot my password, can you help?",
    "I forgot my password: can you reset it?",
    "my password is not working",
    "The password is incorrect.",
    "Password: see the control panel",
    "password: ********",
    "Never send passwords by email: use the form in your control panel.",
    "We use a password manager for the team.",
    "The password policy requires 12 characters.",
    "I enabled the password 2-factor option",
    "I'll pass - thanks",
    "The bypass: enabled, compass = 3",
    "Я сбросил пароль вчера",
    "Ссылка для сброса пароля не работает",
    "пароль не подходит",
    "Пароль: отправлю через панель",
  ])("does not flag %j", (text) => {
    expect(mentionsPassword(text)).toBe(false);
  });

  it("flags the password reply fixture's text", () => {
    expect(mentionsPassword(EXPECTED["password-reply"])).toBe(true);
    expect(CONTENT_FIXTURES.filter((name) => mentionsPassword(EXPECTED[name]))).toEqual(["password-reply"]);
  });
});
