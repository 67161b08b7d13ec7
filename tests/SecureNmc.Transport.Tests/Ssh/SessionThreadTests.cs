using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>The thread that makes one SSH.NET session's blocking calls (see SessionThread).</summary>
    public sealed class SessionThreadTests
    {
        [Fact]
        public async Task Calls_run_in_order_on_one_thread_of_their_own()
        {
            using var session = new SessionThread("SSH test:22");
            var seen = new ConcurrentQueue<(int Order, int Thread, bool Pool)>();
            var calls = Enumerable.Range(0, 20).Select(i => session.Run(() =>
            {
                seen.Enqueue((i, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
                return i;
            })).ToList();
            Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(calls));
            Assert.Equal(Enumerable.Range(0, 20), seen.Select(s => s.Order));
            Assert.Single(seen.Select(s => s.Thread).Distinct());
            Assert.DoesNotContain(seen, s => s.Pool);
        }

        [Fact]
        public async Task A_failing_call_faults_its_own_task_and_the_next_call_still_runs()
        {
            using var session = new SessionThread("SSH test:22");
            var failing = session.Run(() => throw new InvalidOperationException("card said no"));
            var next = session.Run(() => 42);
            Assert.Equal("card said no", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
            Assert.Equal(42, await next);
        }

        [Fact]
        public async Task The_caller_resumes_off_the_session_thread()
        {
            // Otherwise the caller's next step (often another call on the same session) would run on the
            // thread that has to make that call, and wait behind itself.
            using var session = new SessionThread("SSH test:22");
            int sessionThread = await session.Run(() => Environment.CurrentManagedThreadId);
            await session.Run(() => { });
            Assert.NotEqual(sessionThread, Environment.CurrentManagedThreadId);
        }

        [Fact]
        public async Task A_closed_session_refuses_new_calls()
        {
            var session = new SessionThread("SSH test:22");
            Assert.Equal(1, await session.Run(() => 1));
            session.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => session.Run(() => 2));
            session.Dispose(); // twice is harmless
        }

        [Fact]
        public async Task A_hundred_sessions_blocked_on_their_cards_leave_the_thread_pool_free()
        {
            // A hundred cards that stopped answering mid-upload each hold their session's thread; work
            // for every other card (and the deadlines that drop the stalled ones) must still get a pool thread.
            using var stalled = new ManualResetEventSlim(false);
            var sessions = Enumerable.Range(0, 100).Select(i => new SessionThread($"SSH stalled-{i}:22")).ToList();
            var blocked = sessions.Select(s => s.Run(() => stalled.Wait(TimeSpan.FromSeconds(60)))).ToList();
            try
            {
                var other = Task.Run(() => 7);
                Assert.Same(other, await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(5))));
                Assert.Equal(7, await other);
            }
            finally
            {
                stalled.Set();
                await Task.WhenAll(blocked);
                sessions.ForEach(s => s.Dispose());
            }
        }
    }
}
