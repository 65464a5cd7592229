// Command manage-gift is the /api/manage-gift function on Netlify (see netlify.toml).
package main

import (
	"github.com/payoke/site/internal/lambdafn"
	"github.com/payoke/site/internal/managegift"
)

func main() { lambdafn.Main("manage-gift", managegift.NewFromEnv) }
