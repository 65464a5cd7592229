package check

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/payoke/site/internal/siteconfig"
)

// configFile is where the organisation's facts live.
const configFile = "config.toml"

// checkOrganisation: the enterprise number Belgian law asks a vzw to show
// on its website (WVV art. 2:20) is there, and is a valid one. Empty is a
// warning (the footer leaves it out until staff add it); a wrong one is an
// error, because every page would show it.
func checkOrganisation(s *site, rep *Report) {
	number := s.org.EnterpriseNumber
	line := configLine(s.root, "enterpriseNumber")
	if strings.TrimSpace(number) == "" {
		rep.warnf(configFile, line, "the enterprise number (ondernemingsnummer) is empty; Belgian law asks a vzw to show it on its website — add it as params.organisation.enterpriseNumber, written as on the KBO, e.g. \"0123.456.749\"")
		return
	}
	if problem := siteconfig.EnterpriseNumberProblem(number); problem != "" {
		rep.errorf(configFile, line, "the enterprise number (ondernemingsnummer) in params.organisation.enterpriseNumber: %s", problem)
	}
}

// configLine is the number of the first line of config.toml that sets key, or 0.
func configLine(root, key string) int {
	b, err := os.ReadFile(filepath.Join(root, configFile))
	if err != nil {
		return 0
	}
	for i, l := range strings.Split(string(b), "\n") {
		if k, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 0
}
