using System;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>A clock whose delays return at once and move time forward, so back-off and restart limits run instantly.</summary>
    public sealed class VirtualClock : IUpdateClock
    {
        private long _ticks = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).UtcTicks;

        public DateTimeOffset UtcNow => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public long DelayCalls;

        public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref DelayCalls);
            Interlocked.Add(ref _ticks, Math.Max(0, delay.Ticks));
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
