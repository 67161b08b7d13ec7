using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>
    /// The engine's clock running at the simulator's speed: with scale 0.005 a simulated minute takes
    /// 0.3 real seconds, for waits and for the time that passes while real sockets work alike. So the
    /// product's own restart timeouts (5 and 10 minutes) hold against cards that take simulated minutes.
    /// </summary>
    public sealed class ScaledUpdateClock : IUpdateClock
    {
        private readonly double _scale;
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        public ScaledUpdateClock(double scale)
        {
            if (scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be more than 0.");
            _scale = scale;
        }

        public DateTimeOffset UtcNow => _start + TimeSpan.FromTicks((long)(_elapsed.Elapsed.Ticks / _scale));

        public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay <= TimeSpan.Zero) return Task.CompletedTask;
            var real = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(delay.Ticks * _scale)));
            return Task.Delay(real, cancellationToken);
        }
    }
}
