using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>One log line waiting for the pipeline thread.</summary>
    internal readonly struct PipelineLogEntry
    {
        public PipelineLogEntry(LogLevel level, string category, string message)
        {
            Level = level;
            Category = category;
            Message = message;
        }

        public LogLevel Level { get; }
        public string Category { get; }
        public string Message { get; }
    }

    /// <summary>
    /// The bridge from Core's ILogger to -Verbose / -Debug. Loggers it hands out may be called from
    /// any thread (network workers, timers); they only enqueue. The cmdlet drains the queue on the
    /// pipeline thread, the only thread allowed to call WriteVerbose/WriteDebug/WriteWarning.
    /// </summary>
    internal sealed class PipelineLog : ILoggerFactory
    {
        private readonly ConcurrentQueue<PipelineLogEntry> _entries = new ConcurrentQueue<PipelineLogEntry>();

        /// <summary>Lowest level worth formatting; set from -Verbose/-Debug and the preference variables.</summary>
        public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

        public ILogger CreateLogger(string categoryName) => new QueueLogger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) =>
            throw new NotSupportedException("PipelineLog routes to the PowerShell pipeline only.");

        public void Dispose() { }

        /// <summary>Removes and returns everything logged so far, oldest first.</summary>
        public IReadOnlyList<PipelineLogEntry> Drain()
        {
            var list = new List<PipelineLogEntry>();
            while (_entries.TryDequeue(out var entry)) list.Add(entry);
            return list;
        }

        private sealed class QueueLogger : ILogger
        {
            private readonly PipelineLog _owner;
            private readonly string _category;

            public QueueLogger(PipelineLog owner, string category)
            {
                _owner = owner;
                _category = category;
            }

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) =>
                logLevel != LogLevel.None && logLevel >= _owner.MinimumLevel;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                var message = formatter(state, exception);
                // Exception messages from Core never carry secrets (project rule); stack traces stay out of the console.
                if (exception != null) message += " (" + exception.GetType().Name + ": " + exception.Message + ")";
                _owner._entries.Enqueue(new PipelineLogEntry(logLevel, _category, message));
            }
        }
    }
}
