"""Names of the cookies the site sets: the signed-in session, the chosen language, a success message."""

SESSION_COOKIE = "cdv_session"
LANGUAGE_COOKIE = "cdv_language"
FLASH_COOKIE = "cdv_flash"
