/** The API's shapes, as types only: the widget never bundles the Worker's schemas. */
export type { PublicConfig } from "../worker/schemas/config";
export type { Department, FieldDefinition } from "../worker/schemas/tenant";
export type {
  AttachmentView,
  HistoryView,
  MessageView,
  Priority,
  Status,
  TicketDetail,
  TicketView,
  UploadView as Upload,
} from "../worker/schemas/ticket";
