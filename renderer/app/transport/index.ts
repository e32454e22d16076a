// The renderer never knows which transport it has: Electron's preload exposes `window.virtdeck`;
// in browser mode the page was opened with ?token=… (taken out of the address bar at once, see
// page-token.ts) and talks WebSocket.
import type { VirtDeckApi } from '../../../shared/contract';
import { pageToken } from './page-token';
import { createWebSocketApi } from './websocket';

declare global {
  interface Window {
    virtdeck?: VirtDeckApi;
  }
}

export function connectApi(): VirtDeckApi {
  if (window.virtdeck) return window.virtdeck;
  // Runs as the page starts: the token leaves the address bar before anything renders.
  pageToken();
  return createWebSocketApi();
}
