// The Excel libraries load on first use (a separate chunk): most console visits never import or
// export a sheet, so the login and the board do not wait for them.
export const loadXlsxWriter = async () => (await import('write-excel-file/browser')).default;
export const loadSheetReader = async () => (await import('read-excel-file/browser')).readSheet;
