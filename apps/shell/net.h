/* The shell's network commands, over the network service "net"
 * (idl/ISocket.idl's INetwork), found by name at their first use. */
#ifndef SHELL_NET_H
#define SHELL_NET_H

void cmd_ifconfig(char *args); /* the address DHCP gave, the MAC, the counters */
void cmd_ping(char *args);     /* ping ADDRESS: four echo requests, their round trips */
void cmd_netstat(char *args);  /* the sockets and their states */

#endif
