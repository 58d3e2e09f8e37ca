package org.scimgate.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the whole service as it runs: the packaged jar, end to end, an outage, shutdown under
 * load, two instances, the browser. These run in the integration phase ({@code ./mvnw verify},
 * failsafe); everything else runs in the test phase (surefire). Keep them few: a behaviour a
 * slice, a module test or one shared context can show belongs there instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(WholeServiceTest.TAG)
public @interface WholeServiceTest {

    String TAG = "whole-service";
}
