"""Clients of Alexa's service APIs: the Settings API's time zone, the Reminders API.

- :mod:`skill.alexa_api.endpoints`: which base URLs may ever receive a request's
  apiAccessToken: Alexa's three API hosts, and the one loopback test base named by
  ALEXA_API_TEST_ENDPOINT (DESIGN.md section 4). A forged apiEndpoint gets nothing.
- :mod:`skill.alexa_api.client`: :class:`~skill.alexa_api.client.UrllibApiClient`,
  the ASK SDK ``ApiClient`` our service clients use: urllib, 1 s timeout, no
  redirects, and only to an allowed base (the SDK's DefaultApiClient has no timeout,
  refuses http and imports ``requests``).
- :mod:`skill.alexa_api.settings_api`: the device's time zone through the SDK's
  ``UpsServiceClient``; any failure gives None (the caller falls back).
- :mod:`skill.alexa_api.reminders_api`: movement reminders through the SDK's
  ``ReminderManagementServiceClient``; failures become a spoken-answer category.

Domain code: nothing here knows about handlers or responses.
"""
