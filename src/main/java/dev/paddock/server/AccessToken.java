package dev.paddock.server;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the access token in constant time. Scripts send {@code Authorization: Bearer TOKEN}; a browser
 * opens {@code /?token=TOKEN} once and gets the token as an HttpOnly, same-site cookie for the dashboard.
 */
final class AccessToken {
    static final String COOKIE = "paddock_token";
    private final byte[] token;

    AccessToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean allows(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && matches(auth.substring(7).strip())) {
            return true;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && matches(cookie)) {
            return true;
        }
        String query = ctx.queryParam("token");
        if (query != null && matches(query) && ctx.method() == io.javalin.http.HandlerType.GET) {
            ctx.header("Set-Cookie", COOKIE + "=" + query + "; Path=/; HttpOnly; SameSite=Strict");
            return true;
        }
        return false;
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
