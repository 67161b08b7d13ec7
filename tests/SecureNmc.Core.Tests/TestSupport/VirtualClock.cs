using System;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>
    /// A clock whose delays return at once and move time forward, so back-off and restart limits run
    /// instantly. Concurrent waits overlap as they do in real time: a delay moves the clock to at least
    /// its own end (now + delay), it does not add to what other cards' delays already added. (Adding
    /// them made 200 cards' polls sum to hours, so a card the thread pool ran late could pass its
    /// 10-minute restart limit after a few polls: a flaky test, not an engine fault.)
    /// </summary>
    public sealed class VirtualClock : IUpdateClock
    {
        private long _ticks = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).UtcTicks;

        public DateTimeOffset UtcNow => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public long DelayCalls;

        public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref DelayCalls);
            var end = Interlocked.Read(ref _ticks) + Math.Max(0, delay.Ticks);
            long seen;
            while ((seen = Interlocked.Read(ref _ticks)) < end && Interlocked.CompareExchange(ref _ticks, end, seen) != seen) { }
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
