/** CodeMirror 6 with SQL highlighting and completion of the datasource's tables and columns. */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { MySQL, PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { createEffect, onCleanup, onMount } from 'solid-js';

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
          closeBrackets(),
          autocompletion(),
          syntaxHighlighting(defaultHighlightStyle),
          placeholder('SELECT …'),
          EditorView.lineWrapping,
          keymap.of([
            { key: 'Mod-Enter', run: () => (props.onSubmit(), true) },
            ...closeBracketsKeymap,
            ...defaultKeymap,
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
