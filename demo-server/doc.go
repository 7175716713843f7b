// Package demoserver is livefeed's bundled Server-Sent Events server: a hub that
// streams simulated stock quotes, sports scores, news, job progress and host
// metrics to any number of clients, replays missed events from a bounded history on reconnect, and never
// lets one slow client hold up the others.
//
// It runs as `livefeed demo-server` and in-process (the TUI starts it on
// 127.0.0.1:0 when there is no config file):
//
//	srv, err := demoserver.Start(ctx, demoserver.DefaultOptions())
//	...
//	fmt.Println(srv.URL()) // http://127.0.0.1:8080
//	<-ctx.Done()
//	srv.Wait()            // every client got a final "shutdown" event
//
// # Wire contract
//
//	GET  /events/{topic}        one topic: stocks, sports, news, jobs or metrics
//	GET  /events?topics=a,b     several topics on one connection (all when omitted)
//	POST /publish               {"topic":"news","event":"notification","data":{…}} → 202
//	GET  /                      a web page showing every stream through EventSource
//	GET  /healthz               200, JSON status
//
// On a single-topic endpoint every event's id is the topic's sequence number,
// a plain integer that increases by one per event ("120"). On /events the id is
// the connection's position in every topic it carries, in the order the topics
// were requested ("stocks:120,news:33"), so that a Last-Event-ID taken from any
// event resumes each topic exactly where it stopped. A reconnecting client gets
// every event strictly after its Last-Event-ID from the topic's history ring; if
// the id is not ours or has left the ring, it gets a "reset" event saying so and
// continues live.
package demoserver
