// The renderer never knows which transport it has: Electron's preload exposes `window.virtdeck`;
// in browser mode the page was opened with ?token=… and talks WebSocket.
import type { VirtDeckApi } from '../../../shared/contract';
import { createWebSocketApi } from './websocket';

declare global {
  interface Window {
    virtdeck?: VirtDeckApi;
  }
}

export function connectApi(): VirtDeckApi {
  if (window.virtdeck) return window.virtdeck;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('This page must be opened with the URL VirtDeck printed (it carries a token).');
  return createWebSocketApi(token);
}
