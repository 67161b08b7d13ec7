using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Core.Json;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Settings
{
    /// <summary>
    /// settings.json, written atomically under a cross-process lock like the inventory:
    /// {"format": "SecureNmc.Settings", "version": 1, "settings": {"ConcurrentRequests": 10, ...}}.
    /// Only settings that were set are stored, so a default changed by a later version applies.
    /// </summary>
    public sealed class SettingsStore
    {
        public const string FormatName = "SecureNmc.Settings";
        public const int CurrentVersion = 1;
        private const string WhatIsStored = "settings";

        private readonly IFileOperations _files;
        private readonly AtomicFileWriter _writer;
        private readonly ILogger _logger;
        private readonly TimeSpan _lockTimeout;

        public SettingsStore(DataFolder dataFolder, ILogger? logger = null, IFileOperations? files = null, TimeSpan? lockTimeout = null)
            : this(dataFolder.SettingsFile, dataFolder.SettingsLockFile, logger, files, lockTimeout) { }

        public SettingsStore(string settingsFile, string lockFile, ILogger? logger = null, IFileOperations? files = null, TimeSpan? lockTimeout = null)
        {
            FilePath = Path.GetFullPath(settingsFile);
            LockFilePath = Path.GetFullPath(lockFile);
            _files = files ?? PhysicalFileOperations.Instance;
            _logger = logger ?? NullLogger.Instance;
            _writer = new AtomicFileWriter(_files, _logger);
            _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        }

        public string FilePath { get; }
        public string LockFilePath { get; }

        /// <summary>The current settings (defaults when the file does not exist).</summary>
        public NmcSettings Load() => ReadFile(_files, FilePath, _logger);

        /// <summary>Read-modify-write under the lock: <paramref name="change"/> validates as it sets. Returns the saved settings.</summary>
        public NmcSettings Update(Action<NmcSettings> change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            using (CrossProcessFileLock.Acquire(LockFilePath, _lockTimeout, WhatIsStored, _logger))
            {
                var settings = ReadFile(_files, FilePath, _logger);
                change(settings);
                _writer.DeleteStaleTempFiles(FilePath);
                _writer.WriteAllBytes(FilePath, Serialize(settings), WhatIsStored);
                foreach (var pair in settings.ExplicitValues) _logger.LogDebug("Setting {Name} = {Value}.", pair.Key, pair.Value);
                _logger.LogInformation("Saved settings to {Path}.", FilePath);
                return settings;
            }
        }

        /// <summary>The DataFolder setting of a settings file, for <see cref="DataFolderLocator"/>; null when unset or no file.</summary>
        public static string? ReadDataFolderSetting(string settingsFile) =>
            ReadFile(PhysicalFileOperations.Instance, Path.GetFullPath(settingsFile), NullLogger.Instance).DataFolder;

        internal static byte[] Serialize(NmcSettings settings)
        {
            var json = new JsonWriter();
            json.BeginObject();
            json.Property("format", FormatName);
            json.Property("version", CurrentVersion);
            json.PropertyName("settings");
            json.BeginObject();
            foreach (var pair in settings.ExplicitValues)
            {
                switch (pair.Value)
                {
                    case long n: json.Property(pair.Key, n); break;
                    case bool b: json.Property(pair.Key, b); break;
                    default: json.Property(pair.Key, pair.Value as string); break;
                }
            }
            // Entries this version does not know (a newer version's settings) go back exactly as read,
            // numbers included, so saving with this version never changes what the newer one stored.
            foreach (var pair in settings.UnknownEntries)
            {
                json.PropertyName(pair.Key);
                json.Value(pair.Value ?? JsonNull.Instance);
            }
            json.EndObject();
            json.EndObject();
            return new UTF8Encoding(false).GetBytes(json.ToString() + "\n");
        }

        private static NmcSettings ReadFile(IFileOperations files, string path, ILogger logger)
        {
            var settings = new NmcSettings();
            string text;
            try
            {
                if (!files.FileExists(path)) return settings;
                using (var stream = files.OpenRead(path))
                using (var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true))
                    text = reader.ReadToEnd();
            }
            catch (FileNotFoundException) { return settings; }
            catch (DecoderFallbackException e) { throw new StoreCorruptException(path, WhatIsStored, "the file is not UTF-8 text", e); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StoreException($"The settings file '{path}' cannot be read: {e.Message}", path, e);
            }

            try
            {
                if (text.Trim().Length == 0) throw new FormatException("the file is empty");
                var root = new JsonFields(JsonReader.Parse(text, JsonLimits.DataFiles), "the file");
                var format = root.String("format");
                if (format != FormatName) throw new FormatException($"it is not a SecureNmc settings file (\"format\" is {(format == null ? "missing" : "\"" + format + "\"")})");
                var version = root.Int64("version") ?? throw new FormatException("it has no \"version\"");
                if (version > CurrentVersion) throw new FormatException($"it was written by a newer SecureNmc (format version {version}). Update the SecureNmc module");
                var values = new JsonFields(root.Raw("settings") ?? new JsonObject(), "\"settings\"");
                foreach (var name in values.Names)
                {
                    var definition = SettingDefinition.Find(name);
                    if (definition == null) { settings.UnknownEntries[name] = values.Raw(name); continue; }
                    object? value = definition.Kind switch
                    {
                        SettingKind.Integer => values.Int64(name),
                        SettingKind.Boolean => values.Boolean(name),
                        _ => values.String(name),
                    };
                    if (value == null) continue;
                    var error = definition.Validate(value);
                    if (error != null) throw new FormatException(error);
                    settings.SetStored(definition, value);
                }
                return settings;
            }
            catch (FormatException e)
            {
                logger.LogError("The settings file {Path} is damaged: {Problem}", path, e.Message);
                throw new StoreCorruptException(path, WhatIsStored, e.Message, e);
            }
        }
    }
}
