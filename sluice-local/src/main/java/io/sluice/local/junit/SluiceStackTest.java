package io.sluice.local.junit;

import io.sluice.local.Service;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real servers of the local stack: a {@code LocalStack} parameter (constructor,
 * {@code @BeforeAll} or test method) is injected.
 *
 * <pre>{@code
 * @SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA})
 * class UsersSinkIT {
 *   @Test
 *   void writesUsersToCassandra(LocalStack stack) { ... stack.kafkaBootstrap() ... }
 * }
 * }</pre>
 *
 * <p>One stack serves the whole test JVM: on free ports, in a temporary data directory, started
 * lazily with the union of the services the classes ask for, stopped when the run ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SluiceStackExtension.class)
public @interface SluiceStackTest {
  /** The services the class needs; all of them by default. */
  Service[] services() default {
    Service.KAFKA,
    Service.CASSANDRA,
    Service.S3,
    Service.METADATA_DB,
    Service.API_SIMULATOR,
    Service.SCHEMA_REGISTRY
  };
}
