/**
 * The Cassandra server's runtime classpath (resource {@code
 * io/sluice/cassandra/cassandra.classpath}) and the main class of the child JVM the local stack
 * starts from it.
 */
package io.sluice.cassandra;
