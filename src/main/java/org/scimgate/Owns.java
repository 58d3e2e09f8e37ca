package org.scimgate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The database objects a module owns, declared on its {@code package-info} next to the modules it
 * may use. Every table, view and function the migrations create has exactly one owner, only the
 * owner's SQL names it, and other modules reach that data through the owner's public types
 * ({@code ModularityTest} checks all three). A module without this annotation owns nothing.
 *
 * <p>Kept in the source only: as a class-file annotation it would make every owning module depend
 * on the root package, which depends on the modules (a cycle to Spring Modulith). The test reads
 * it from {@code package-info.java}; the compiler still checks its attributes.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.PACKAGE)
public @interface Owns {

    /** Tables and views. */
    String[] tables() default {};

    /** Functions, trigger functions included. */
    String[] functions() default {};
}
