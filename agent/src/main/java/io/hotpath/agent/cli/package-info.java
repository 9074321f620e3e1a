/** The attach CLI: {@code java -jar hotpath-agent.jar PID COMMAND}, through the JDK's Attach API. */
package io.hotpath.agent.cli;
