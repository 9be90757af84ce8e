/** The SQL being written in the editor, kept per tab so a reload or a detour does not lose it. */
const DRAFT = 'accessflow.draft';

export const readDraft = (): string => sessionStorage.getItem(DRAFT) ?? '';
export const saveDraft = (sql: string): void => sessionStorage.setItem(DRAFT, sql);
export const clearDraft = (): void => sessionStorage.removeItem(DRAFT);
