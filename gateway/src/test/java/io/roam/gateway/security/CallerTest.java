package io.roam.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.contracts.security.ProjectRole;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void aCallerHoldsItsRoleAndTheRolesItIncludes() {
        Caller alice = caller(Map.of("llm", ProjectRole.WRITER));

        assertThat(alice.holds("llm", ProjectRole.READER)).isTrue();
        assertThat(alice.holds("llm", ProjectRole.WRITER)).isTrue();
        assertThat(alice.holds("llm", ProjectRole.ADMIN)).isFalse();
        assertThat(alice.holds("vision", ProjectRole.READER)).isFalse();
        assertThat(alice.roleIn("vision")).isEmpty();
    }

    @Test
    void aGrantInEveryProjectAppliesToEachAndTheHigherRoleWins() {
        Caller operator = caller(Map.of("*", ProjectRole.READER, "llm", ProjectRole.ADMIN));

        assertThat(operator.roleIn("vision")).contains(ProjectRole.READER);
        assertThat(operator.roleIn("llm")).contains(ProjectRole.ADMIN);
        assertThat(operator.holdsEveryProject(ProjectRole.READER)).isTrue();
        assertThat(operator.holds("*", ProjectRole.WRITER)).isFalse();
    }

    @Test
    void onlyAGrantInEveryProjectHoldsTheProjectStar() {
        assertThat(caller(Map.of("llm", ProjectRole.ADMIN)).holds("*", ProjectRole.READER)).isFalse();
        assertThat(caller(Map.of("*", ProjectRole.ADMIN)).holds("*", ProjectRole.ADMIN)).isTrue();
    }

    private static Caller caller(Map<String, ProjectRole> grants) {
        return new Caller("someone", grants, Caller.Kind.JWT, "jwt:test someone");
    }
}
