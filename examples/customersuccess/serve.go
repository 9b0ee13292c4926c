package main

import (
	"context"
	"io"
	"os"
	"os/signal"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/web"
)

// pageVars are the variables the what-if page charts at first: the
// customer base, the money, and how happy the customers are.
var pageVars = []string{"customers", "cumulative_profit", "mrr", "customer_happiness"}

// serve serves the model's what-if page on addr until interrupted.
func serve(m *model.Model, addr string, log io.Writer) error {
	p, err := sim.Compile(m)
	if err != nil {
		return err
	}
	h, err := web.New(p, web.Options{Vars: pageVars})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return web.Serve(ctx, addr, h, log)
}
