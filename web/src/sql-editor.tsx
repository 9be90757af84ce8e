/** CodeMirror 6 with SQL highlighting and completion of the datasource's tables and columns. */
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import {
  history,
  historyKeymap,
  indentLess,
  indentMore,
  indentWithTab,
  standardKeymap,
  toggleComment,
  toggleTabFocusMode,
} from '@codemirror/commands';
import { MySQL, PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, type KeyBinding } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { createEffect, onCleanup, onMount } from 'solid-js';

/**
 * From CodeMirror's default keymap beyond the standard one: indentation, comments and Tab focus mode. Its
 * syntax-tree navigation, line moves and multiple cursors are left out to keep /editor's first load within
 * P8 (docs/console.md).
 */
const editingKeymap: KeyBinding[] = [
  { key: 'Mod-[', run: indentLess },
  { key: 'Mod-]', run: indentMore },
  { key: 'Mod-/', run: toggleComment },
  // Tab indents; Ctrl-m (Shift-Alt-m on macOS) makes Tab move focus instead, for keyboard users.
  { key: 'Ctrl-m', mac: 'Shift-Alt-m', run: toggleTabFocusMode },
];

export interface SqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** table → columns */
  schema: Record<string, string[]>;
  dialect: 'POSTGRESQL' | 'MYSQL' | 'MARIADB' | undefined;
  /** Ctrl/Cmd+Enter */
  onSubmit: () => void;
  id: string;
  describedBy?: string;
}

export function SqlEditor(props: SqlEditorProps) {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  const language = new Compartment();
  const languageFor = () =>
    sql({ dialect: props.dialect === 'POSTGRESQL' || !props.dialect ? PostgreSQL : MySQL, schema: props.schema as SQLNamespace, upperCaseKeywords: true });

  onMount(() => {
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          autocompletion(),
          // tok-* classes, coloured in styles.css from the light or dark palette.
          syntaxHighlighting(classHighlighter),
          EditorView.lineWrapping,
          keymap.of([
            { key: 'Mod-Enter', run: () => (props.onSubmit(), true) },
            ...editingKeymap,
            ...standardKeymap,
            ...historyKeymap,
            ...completionKeymap,
            // Tab indents; Escape then Tab leaves the editor (CodeMirror's documented escape hatch).
            indentWithTab,
          ]),
          language.of(languageFor()),
          EditorView.contentAttributes.of({
            id: props.id,
            'aria-label': 'SQL query',
            ...(props.describedBy ? { 'aria-describedby': props.describedBy } : {}),
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) props.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
  });
  createEffect(() => {
    const extension = languageFor();
    view?.dispatch({ effects: language.reconfigure(extension) });
  });
  createEffect(() => {
    const value = props.value;
    if (view && value !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
  });
  onCleanup(() => view?.destroy());
  return <div class="sql-editor" ref={host} />;
}
