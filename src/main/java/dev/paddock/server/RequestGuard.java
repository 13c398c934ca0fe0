package dev.paddock.server;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages the user visits from driving the server (as Ollama's allowed-hosts middleware does):
 * <ul>
 *   <li>on a loopback bind only loopback Host names (and {@code server.allowed_hosts}) are served, so a page
 *       whose name was rebound to 127.0.0.1 (DNS rebinding) reads and changes nothing;</li>
 *   <li>a state-changing request whose {@code Origin} is not this server's own (or one of
 *       {@code server.cors_origins}) is refused, whatever the port: a page on another port of the same host
 *       is another origin, though the browser sends it the same-site token cookie;</li>
 *   <li>bodies of POST, PUT and PATCH must be declared {@code application/json}, a type no cross-origin
 *       form or simple fetch can send without a CORS preflight that is not granted;</li>
 *   <li>no page of the server may be framed (click-jacking).</li>
 * </ul>
 */
final class RequestGuard {
    private static final Set<HandlerType> CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);

    private final boolean loopback;
    private final Set<String> allowedHosts;
    private final Set<String> corsOrigins;

    RequestGuard(ServerSettings settings) {
        this.loopback = settings.isLoopback();
        this.allowedHosts = Set.copyOf(settings.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.corsOrigins = Set.copyOf(settings.corsOrigins().stream().map(RequestGuard::trimSlash).toList());
    }

    /** Sets the headers every answer carries, then refuses what a foreign page could have sent. */
    void check(Context ctx) {
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer"); // a /?token= address never leaks to another site
        String host = ctx.header("Host");
        if (loopback && host != null && !allowedHost(hostName(host))) {
            throw new PaddockException(ErrorCode.FORBIDDEN, "this server answers only requests to a loopback name such as"
                    + " 127.0.0.1 or localhost; add other names to server.allowed_hosts");
        }
        HandlerType method = ctx.method();
        if (!CHANGING.contains(method)) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, host) && !corsOrigins.contains(trimSlash(origin))) {
            throw new PaddockException(ErrorCode.FORBIDDEN, "requests that change something are refused from another web"
                    + " origin; list trusted origins in server.cors_origins");
        }
        if (origin == null && "cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            throw new PaddockException(ErrorCode.FORBIDDEN, "requests that change something are refused from another web site");
        }
        if (WITH_BODY.contains(method) && !isJson(ctx.header("Content-Type"))) {
            throw new PaddockException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the request with Content-Type: application/json"
                    + " (even when the body is empty)");
        }
    }

    /** Compiled once: this runs on every request, ahead of the gateway's time to first token. */
    private static final java.util.regex.Pattern OCTET = java.util.regex.Pattern.compile("\\d{1,3}");

    private boolean allowedHost(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost") || allowedHosts.contains(name)) {
            return true;
        }
        if (name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        // 127.0.0.0/8 as a dotted literal only: a name is never resolved here (that is what rebinding abuses)
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (!OCTET.matcher(p).matches() || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@code [::1]:7700} → {@code ::1}; {@code LocalHost.:7700} → {@code localhost}. */
    static String hostName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(':') == colon) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Whether the Origin names this very server: the same authority the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI u = URI.create(origin);
            if (u.getRawAuthority() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return false;
            }
            return u.getRawAuthority().equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json");
    }

    private static String trimSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
