// Transfers: a volume's bytes from the laptop into a pool (upload), out to the laptop (download)
// or from one host's pool to another's (copy), streamed through the app, never held whole.
// Their progress comes as 'transfer.progress' events.

export type TransferKind = 'upload' | 'download' | 'copy';
export type TransferState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TransferProgress {
  transferId: string;
  kind: TransferKind;
  state: TransferState;
  /** What moves where, for a task's title: "disk.qcow2 → hv3:default". */
  title: string;
  bytes: number;
  total: number;
  percent: number;
  rateBps: number;
  etaSeconds?: number;
  /** SHA-256 (hex) of every byte sent, once done. */
  sha256?: string;
  /** libvirt's (or the stream's) message when failed. */
  error?: string;
}

/** A volume in a pool of a host. */
export interface VolumeRef {
  hostId: string;
  pool: string;
  name: string;
}

export interface TransferTicket {
  transferId: string;
}

export interface TransferMethods {
  /** Browser mode: announce an upload of `size` bytes into a new volume `name`; the bytes then
   *  come as the body of `PUT <prefix>/transfer?id=<transferId>` (within 60 s). The volume is
   *  created (format from the file's first bytes) when the body starts. */
  'transfer.prepareUpload': { params: VolumeRef & { size: number }; result: TransferTicket };
  /** Browser mode: a download the page then fetches from `GET <prefix>/transfer?id=<transferId>`. */
  'transfer.prepareDownload': { params: VolumeRef; result: TransferTicket & { fileName: string } };
  /** Copy a volume to another host's pool (same capacity and format), through this app. */
  'transfer.copy': { params: VolumeRef & { toHostId: string; toPool: string; toName: string }; result: TransferTicket };
  /** The Electron app only: upload a local file (a path from the open dialog). */
  'transfer.uploadFile': { params: VolumeRef & { path: string }; result: TransferTicket };
  /** The Electron app only: download into a local file (a path from the save dialog). */
  'transfer.downloadFile': { params: VolumeRef & { path: string }; result: TransferTicket };
  /** Stop a transfer; an upload or copy removes the volume it created. */
  'transfer.cancel': { params: { transferId: string }; result: null };
}
