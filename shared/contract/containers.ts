// Containers: libvirt LXC domains beside the VMs. They list, start, stop and delete through the
// vms area's methods with driver 'lxc'; creating one is its own method.

export interface ContainerCreateRequest {
  hostId: string;
  name: string;
  /** The directory on the host that becomes the container's `/` (it must exist there). */
  rootDir: string;
  memoryMiB: number;
  /** PID 1 inside the container; /sbin/init when not given. */
  init?: string;
  nic?: { type: 'bridge' | 'network'; source: string };
}

export interface ContainerMethods {
  /** Define a container on the host's LXC driver (not started). */
  'container.create': { params: ContainerCreateRequest; result: null };
}
