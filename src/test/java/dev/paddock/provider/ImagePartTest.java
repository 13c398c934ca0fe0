package dev.paddock.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What an image part may be: a web URL or a base64 data URL of an image, of a bounded size. */
class ImagePartTest {
    @Test
    void aDataUrlGivesItsMediaTypeAndCheckedBytes() {
        ImagePart png = new ImagePart("data:image/PNG;base64,iVBORw0KGgo=");
        assertThat(png.isData()).isTrue();
        assertThat(png.mediaType()).isEqualTo("image/png");
        assertThat(png.base64()).isEqualTo("iVBORw0KGgo=");
        assertThat(new ImagePart("https://example.com/cat.png").mediaType()).isNull();
    }

    @Test
    void otherSchemesNonImagesBadBase64AndOversizedImagesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new ImagePart("file:///etc/passwd")).hasMessageContaining("http(s) URL or a data:image");
        assertThatThrownBy(() -> new ImagePart("data:text/html;base64,PGI+")).hasMessageContaining("data:image/png;base64");
        assertThatThrownBy(() -> new ImagePart("data:image/png;base64,!!!!").base64()).hasMessageContaining("no valid base64");
        String huge = "data:image/png;base64," + "A".repeat((int) (ImagePart.MAX_BYTES / 3 * 4) + 400);
        assertThatThrownBy(() -> new ImagePart(huge)).hasMessageContaining("at most 20 MB");
    }
}
