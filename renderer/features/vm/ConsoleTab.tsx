// A VM's Console tab: opens the VM's console in the console workspace (or brings its tab forward)
// and shows the workspace here, with the other open consoles as tabs beside it.
import { useEffect } from 'react';
import { useConsoles } from '../../store/consoles';
import type { VmRef } from '../../store/vm-ref';
import { ConsoleSlot } from '../consoles/ConsoleWorkspace';

export function ConsoleTab({ vm }: { vm: VmRef }) {
  const { hostId, name, driver } = vm;
  useEffect(() => useConsoles.getState().show({ hostId, name, driver }), [hostId, name, driver]);
  return <ConsoleSlot />;
}
