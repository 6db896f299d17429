package hark.upload.account;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /api/auth/password}. */
public record PasswordChange(
        @JsonProperty("current_password") String currentPassword,
        @JsonProperty("new_password") String newPassword) {}
