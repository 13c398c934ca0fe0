package dev.paddock.provider;

import dev.paddock.error.PaddockException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * An image in a message: an {@code http(s)} URL or a {@code data:} URL with base64 bytes, as OpenAI's
 * {@code image_url} part carries it. Providers that take bytes only get them from the data URL.
 */
public record ImagePart(String url) {
    /** The largest image accepted, decoded: Anthropic's and OpenAI's own limits are 5 and 20 MB. */
    public static final long MAX_BYTES = 20L << 20;

    public ImagePart {
        Objects.requireNonNull(url);
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            int comma = url.indexOf(',');
            if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")
                    || !url.substring(5, comma).toLowerCase(Locale.ROOT).startsWith("image/")) {
                throw PaddockException.invalidInput("an image data URL must look like data:image/png;base64,…");
            }
            long decoded = (url.length() - comma - 1) * 3L / 4;
            if (decoded > MAX_BYTES) {
                throw PaddockException.invalidInput("an image is " + (decoded >> 20) + " MB; at most " + (MAX_BYTES >> 20)
                        + " MB is accepted (scale it down)");
            }
        } else if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw PaddockException.invalidInput("an image must be an http(s) URL or a data:image/…;base64 URL");
        }
    }

    public static ImagePart ofBase64(String mediaType, String base64) {
        return new ImagePart("data:" + mediaType + ";base64," + base64);
    }

    public boolean isData() {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The media type of a data URL ({@code image/png}); null for a web URL. */
    public String mediaType() {
        return isData() ? url.substring(5, url.indexOf(';')).toLowerCase(Locale.ROOT) : null;
    }

    /** The base64 bytes of a data URL, checked to decode; null for a web URL. */
    public String base64() {
        if (!isData()) {
            return null;
        }
        String data = url.substring(url.indexOf(',') + 1).replaceAll("\\s", ""); // line breaks are fine, other strays are not
        try {
            Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw PaddockException.invalidInput("an image data URL holds no valid base64");
        }
        return data;
    }
}
