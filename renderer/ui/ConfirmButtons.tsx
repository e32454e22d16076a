import { DialogButtons } from './DialogButtons';

/** The foot of a dialog that asks before something the guest or its storage cannot get back:
 *  Cancel, and the red button that does it (and closes the dialog). */
export function ConfirmButtons({ label, onCancel, onConfirm, disabled, autoFocus = false }: { label: string; onCancel: () => void; onConfirm: () => void; disabled?: boolean; autoFocus?: boolean }) {
  const confirm = () => {
    onConfirm();
    onCancel();
  };
  return <DialogButtons label={label} color="red" disabled={disabled} autoFocus={autoFocus} onCancel={onCancel} onConfirm={confirm} />;
}
