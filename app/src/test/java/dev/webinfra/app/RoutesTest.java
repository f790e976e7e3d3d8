package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutesTest {
  @Test
  void everyPathMapsToATemplateNeverToItself() {
    assertThat(Routes.route("GET", "/")).as("page").isEqualTo(new Routes.Route(Routes.PAGE, "/"));
    assertThat(Routes.route("HEAD", "/"))
        .as("HEAD is a GET")
        .isEqualTo(new Routes.Route(Routes.PAGE, "/"));
    assertThat(Routes.route("POST", "/entries"))
        .as("write")
        .isEqualTo(new Routes.Route(Routes.POST_ENTRY, "/entries"));
    assertThat(Routes.route("GET", "/api/entries").key()).as("list").isEqualTo(Routes.LIST_ENTRIES);
    assertThat(Routes.route("GET", "/api/entries/42"))
        .as("one entry: the template, not the id")
        .isEqualTo(new Routes.Route("GET /api/entries/{id}", "/api/entries/{id}"));
    assertThat(Routes.route("GET", "/health").key()).as("health").isEqualTo(Routes.HEALTH);
    assertThat(Routes.route("GET", "/metrics").key()).as("metrics").isEqualTo(Routes.METRICS);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    Routes.Route notFound = new Routes.Route(Routes.NOT_FOUND, Routes.NOT_FOUND);
    assertThat(Routes.route("GET", "/static/style.css"))
        .as("nginx serves /static/, never the app")
        .isEqualTo(notFound);
    assertThat(Routes.route("GET", "/api/entries/x")).as("non-numeric id").isEqualTo(notFound);
    assertThat(Routes.route("GET", "/api/entries/1234567890123456789"))
        .as("19 digits may overflow a long")
        .isEqualTo(notFound);
    assertThat(Routes.route("GET", "/entries"))
        .as("GET on the write route")
        .isEqualTo(new Routes.Route(Routes.METHOD_NOT_ALLOWED, "/entries"));
    assertThat(Routes.route("DELETE", "/health").key())
        .as("DELETE on health")
        .isEqualTo(Routes.METHOD_NOT_ALLOWED);
    assertThat(Routes.route("POST", "/api/entries").key())
        .as("POST on the read API")
        .isEqualTo(Routes.METHOD_NOT_ALLOWED);
  }

  @Test
  void theIdComesFromThePath() {
    assertThat(Routes.entryId("/api/entries/42")).as("id").isEqualTo(42L);
  }

  @Test
  void theLimitParameterIsChecked() throws Exception {
    assertThat(AppHandler.limit((String) null)).as("default").isEqualTo(20);
    assertThat(AppHandler.limit("500")).as("maximum").isEqualTo(500);
    assertThatThrownBy(() -> AppHandler.limit("0"))
        .as("zero")
        .hasMessage("query parameter limit must be a number from 1 to 500, was 0");
    assertThatThrownBy(() -> AppHandler.limit("ten"))
        .as("not a number")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
