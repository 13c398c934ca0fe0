package dev.paddock.catalog;

/**
 * One pullable model: its Paddock name, what it is, and where its file is. {@code sizeBytes} and
 * {@code sha256} are the publisher's when it gives them (else null: checked from the server's headers,
 * or not at all); {@code checked} is the date they were last confirmed.
 */
public record CatalogEntry(String name, String family, String parameters, String quantization, Long sizeBytes,
        String sha256, String url, String source, String license, String checked, String description) {}
