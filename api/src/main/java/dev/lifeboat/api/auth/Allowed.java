package dev.lifeboat.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a resource method needs (on a class: for each of its methods without one). Every
 * resource method needs either this or {@link PublicEndpoint}: one without either is refused to
 * everybody, so a forgotten annotation closes an endpoint instead of opening it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allowed {
  AccessRole value();
}
