/** Advice for JDK sockets: NIO socket and datagram channels (TCP, UDP, UNIX-domain) and classic socket streams. */
package io.hotpath.agent.instrument.net;
