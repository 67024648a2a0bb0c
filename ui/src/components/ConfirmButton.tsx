import { useId, useRef, type ReactNode } from "react";

/** Props of {@link ConfirmButton}. */
export interface ConfirmButtonProps {
  /** The button's text, e.g. "Delete". */
  children: ReactNode;
  /** The question, naming what cannot be undone: "Delete schedule SCH-1? Its runs stay." */
  question: ReactNode;
  /** The confirming choice in the dialog. @defaultValue the button's text */
  confirmLabel?: ReactNode;
  /** The safe choice, focused when the dialog opens. @defaultValue "Keep" */
  cancelLabel?: ReactNode;
  /** Called once the user confirms (never on Escape, the safe choice or a click outside). */
  onConfirm: () => void;
  /** @defaultValue "button danger" */
  className?: string;
  disabled?: boolean;
  /** Tooltip of the button. */
  title?: string;
  /**
   * `data-testid` of the button; the dialog is `${testId}-dialog`, its choices
   * `${testId}-confirm` and `${testId}-keep`.
   */
  testId?: string;
}

/**
 * A button for an action that cannot be undone: it opens a small modal `<dialog>` asking
 * `question` with the safe choice focused, so Enter or Escape right away changes nothing.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  cancelLabel = "Keep",
  onConfirm,
  className = "button danger",
  disabled,
  title,
  testId,
}: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  const open = () => {
    dialog.current?.showModal();
    keep.current?.focus();
  };
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        title={title}
        onClick={open}
        data-testid={testId}
      >
        {children}
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={questionId}
        data-testid={testId && `${testId}-dialog`}
        // The box is all .confirm-body: a click on the dialog itself is on the backdrop, a "keep".
        onClick={(event) => event.target === dialog.current && close()}
      >
        <div className="confirm-body">
          <p id={questionId}>{question}</p>
          <div className="actions">
            <button
              type="button"
              className="button danger"
              onClick={() => {
                close();
                onConfirm();
              }}
              data-testid={testId && `${testId}-confirm`}
            >
              {confirmLabel ?? children}
            </button>
            <button
              ref={keep}
              type="button"
              className="button"
              onClick={close}
              data-testid={testId && `${testId}-keep`}
            >
              {cancelLabel}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
