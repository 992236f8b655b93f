// The numbers of a voice message, shared by the schema (api.ts) and the checks (voice.ts) without
// pulling the SDK into the contract the mini-program imports types from.

/** Longest recording in seconds (the recorder stops itself there). */
export const VOICE_MAX_SECONDS = 60;
/** A minute of mp3 at 48 kbit/s is ~360 KB; 1 MB leaves room for aac/m4a at higher rates. */
export const VOICE_MAX_BYTES = 1024 * 1024;
