package dev.paddock.download;

import java.net.URI;

/**
 * What the server says about a file before any byte is fetched: where it really is (redirects followed),
 * its size (null when it does not say), whether it serves ranges, its ETag, and a SHA-256 when its
 * ETag or Hugging Face's X-Linked-Etag is one.
 */
record RemoteFile(URI finalUrl, Long sizeBytes, boolean ranges, String etag, String sha256) {}
