/** The agent console's entry, /widget/edgedesk-console.js: defines <edgedesk-console>. Loaded only by staff pages. */
export { EdgedeskConsole } from "./console/edgedesk-console";
export { EdgedeskErrorEvent, EdgedeskReplySentEvent } from "./events";
