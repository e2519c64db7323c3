package app

import (
	"github.com/followup/followup/throttle"
	"github.com/followup/followup/web"
)

// newThrottle builds the sign-in and token throttles of the configuration
// (FOLLOWUP_SIGNIN_*_LIMIT, FOLLOWUP_TOKEN_ADDRESS_LIMIT), shared through
// Redis by every process of the deployment, and registers their metric.
func (a *App) newThrottle() *web.Throttle {
	e, prefix := a.Cfg.Edge, a.Cfg.QueuePrefix
	return &web.Throttle{
		Account: throttle.New(a.Redis, prefix, "signin-account", throttle.Limit{Attempts: e.SigninAccount.N, Per: e.SigninAccount.Per}),
		Address: throttle.New(a.Redis, prefix, "signin-address", throttle.Limit{Attempts: e.SigninAddress.N, Per: e.SigninAddress.Per}),
		Token:   throttle.New(a.Redis, prefix, "token-address", throttle.Limit{Attempts: e.TokenAddress.N, Per: e.TokenAddress.Per}),
		Refused: a.Metrics.NewAuthThrottled().Refused,
		Log:     a.Log.With("component", "throttle"),
	}
}
