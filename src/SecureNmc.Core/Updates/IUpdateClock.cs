using System;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Updates
{
    /// <summary>Time and waiting, injectable so tests drive back-off and restart waits without real sleeps.</summary>
    public interface IUpdateClock
    {
        DateTimeOffset UtcNow { get; }
        Task Delay(TimeSpan delay, CancellationToken cancellationToken);
    }

    public sealed class SystemUpdateClock : IUpdateClock
    {
        public static SystemUpdateClock Instance { get; } = new SystemUpdateClock();
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
            delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
    }
}
