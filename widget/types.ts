/** The API's shapes, as types only: the widget never bundles the Worker's schemas. */
export type { PublicConfig } from "../worker/schemas/config";
export type { TicketView, TicketDetail, MessageView, HistoryView, Priority, Status, AttachmentView, UploadView as Upload } from "../worker/schemas/ticket";
export type { FieldDefinition, Department } from "../worker/schemas/tenant";
