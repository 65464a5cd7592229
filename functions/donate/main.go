// Command donate is the /api/donate function on Netlify (see netlify.toml).
package main

import (
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/lambdafn"
)

func main() { lambdafn.Main("donate", donate.NewFromEnv) }
