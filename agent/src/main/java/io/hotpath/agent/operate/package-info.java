/**
 * The one operations layer behind every operator surface (HTTP, JMX, later the command line): the reads, built from
 * what the background loop last published, and the audited writes.
 */
package io.hotpath.agent.operate;
