using System;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Licensing.Sessions
{
    /// <summary>
    /// The logger a long-lived <see cref="SubscriptionManager"/> is built with. The manager outlives
    /// the command that created it (it keeps the sign-in for the PowerShell session), but its log lines
    /// belong to whichever command is using it now: each command routes them to its own logger for the
    /// duration of a call. The route is an AsyncLocal, so it follows the call into the worker tasks it
    /// starts, and two commands in two runspaces never see each other's lines.
    /// </summary>
    public sealed class RoutedLogger : ILogger
    {
        private static readonly AsyncLocal<ILogger?> CurrentRoute = new AsyncLocal<ILogger?>();

        public static RoutedLogger Instance { get; } = new RoutedLogger();

        private RoutedLogger() { }

        /// <summary>Sends licensing log lines of this call (and the tasks it starts) to <paramref name="target"/> until disposed.</summary>
        public static IDisposable RouteTo(ILogger target)
        {
            var previous = CurrentRoute.Value;
            CurrentRoute.Value = target ?? throw new ArgumentNullException(nameof(target));
            return new Restore(previous);
        }

        private static ILogger Target => CurrentRoute.Value ?? NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Target.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Target.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Target.Log(logLevel, eventId, state, exception, formatter);

        private sealed class Restore : IDisposable
        {
            private readonly ILogger? _previous;
            private bool _done;

            public Restore(ILogger? previous) => _previous = previous;

            public void Dispose()
            {
                if (_done) return;
                _done = true;
                CurrentRoute.Value = _previous;
            }
        }
    }
}
