// Consoles: console.open issues the one-time id a transport's byte stream attaches with (consoles/).
import type { Service } from '../dispatch.js';
import type { ServiceContext } from './context.js';

export function consolesService({ consoles }: ServiceContext): Service<'console.open'> {
  return {
    'console.open': async (p) => consoles.open(p),
  };
}
