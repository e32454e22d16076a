// libvirt networks and host bridges as data: network XML read and built, IPv4 arithmetic, the checks
// a new network or DHCP entry passes before anything is defined, and the host/fleet comparison.
export * from './ipv4';
export * from './network-xml';
export * from './validate';
export * from './compare';
export * from './host-bridges';
