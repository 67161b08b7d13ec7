using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SecureNmc.Core.Logging
{
    /// <summary>One formatted log message, waiting to be written on the PowerShell pipeline thread.</summary>
    public sealed class LogEntry
    {
        public LogEntry(LogLevel level, string category, string message, Exception? exception)
        {
            Level = level;
            Category = category;
            Message = message;
            Exception = exception;
            Time = DateTimeOffset.Now;
        }

        public LogLevel Level { get; }
        public string Category { get; }
        public string Message { get; }
        public Exception? Exception { get; }
        public DateTimeOffset Time { get; }

        public override string ToString() => Message;
    }

    /// <summary>
    /// An ILogger that only queues: any thread may log, and the cmdlet drains the queue on the
    /// pipeline thread into WriteVerbose / WriteDebug (which must not be called from other threads).
    /// Core code never logs secrets, so entries may be shown as they are.
    /// </summary>
    public sealed class QueuedLogger : ILogger
    {
        private readonly ConcurrentQueue<LogEntry> _queue = new ConcurrentQueue<LogEntry>();
        private readonly string _category;

        public QueuedLogger(string category = "SecureNmc", LogLevel minimumLevel = LogLevel.Trace)
        {
            _category = category;
            MinimumLevel = minimumLevel;
        }

        /// <summary>Entries below this level are dropped at once (e.g. Information when -Verbose is off and -Debug too).</summary>
        public LogLevel MinimumLevel { get; set; }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= MinimumLevel;

        public IDisposable BeginScope<TState>(TState state) where TState : notnull => NullScope.Instance;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            _queue.Enqueue(new LogEntry(logLevel, _category, formatter(state, exception), exception));
        }

        public bool TryDequeue(out LogEntry entry)
        {
            var ok = _queue.TryDequeue(out var e);
            entry = e!;
            return ok;
        }

        /// <summary>Hands every queued entry to <paramref name="write"/>, in order. Call on the pipeline thread.</summary>
        public void Drain(Action<LogEntry> write)
        {
            while (_queue.TryDequeue(out var entry)) write(entry);
        }

        private sealed class NullScope : IDisposable
        {
            public static readonly NullScope Instance = new NullScope();
            public void Dispose() { }
        }
    }
}
