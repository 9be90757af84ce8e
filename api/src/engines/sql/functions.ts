/**
 * Function and operator lists for the classifier.
 *
 * - The denylist rejects a query outright (UNSAFE_FUNCTION): functions with side effects outside the statement
 *   (sleeping, locks, sequences, settings, files, other connections, signalling backends) and functions that run
 *   SQL or read tables given as strings (which would hide those tables from the table list). It is matched on the
 *   lower-cased bare name whatever the schema or quoting (`pg_catalog.pg_sleep`, `"pg_sleep"`, `` `SLEEP` ``).
 *   One list serves both dialects: a PostgreSQL name will not appear in MySQL by accident and vice versa.
 * - The allowlists hold built-in functions known to be free of side effects. Any other function (user-defined,
 *   extension, schema-qualified outside pg_catalog, or simply not listed) does not reject the query but makes it
 *   not proven read-only.
 */

const DENIED = new Set([
  // PostgreSQL: sequences and settings
  'nextval', 'setval', 'set_config',
  // sleeping
  'pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'sleep', 'benchmark',
  // files and large objects
  'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir',
  'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir', 'pg_ls_logicalmapdir', 'pg_ls_replslotdir',
  'pg_current_logfile', 'lo_import', 'lo_export', 'loread', 'lowrite', 'load_file',
  // server and other backends
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_promote',
  'pg_switch_wal', 'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop', 'pg_start_backup',
  'pg_stop_backup', 'pg_wal_replay_pause', 'pg_wal_replay_resume', 'pg_log_backend_memory_contexts',
  'pg_notify', 'pg_logical_emit_message', 'pg_import_system_collations', 'pg_drop_replication_slot',
  'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot', 'pg_replication_slot_advance',
  'pg_logical_slot_get_changes', 'pg_logical_slot_peek_changes', 'pg_logical_slot_get_binary_changes',
  'pg_logical_slot_peek_binary_changes', 'pg_sync_replication_slots',
  // run SQL given as text, or read a table named by a string
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema', 'schema_to_xml', 'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema', 'database_to_xml', 'database_to_xmlschema', 'database_to_xml_and_xmlschema',
  'ts_stat', 'ts_rewrite', 'connectby',
  // MySQL / MariaDB
  'get_lock', 'release_lock', 'release_all_locks', 'master_pos_wait', 'source_pos_wait', 'master_gtid_wait',
  'wait_for_executed_gtid_set', 'wait_until_sql_thread_after_gtids',
]);

const DENIED_PREFIXES = [
  'pg_advisory_', 'pg_try_advisory_', 'pg_sleep', 'dblink', 'lo_', 'pg_file_', 'pg_read_', 'pg_ls_',
  'pg_stat_reset', 'pg_create_', 'pg_replication_origin_', 'crosstab', 'sys_', 'lib_mysqludf_',
];

/** Whether a function (bare name, any case) is on the denylist. */
export function isDeniedFunction(name: string): boolean {
  const lower = name.toLowerCase();
  if (DENIED.has(lower)) return true;
  for (const prefix of DENIED_PREFIXES) if (lower.startsWith(prefix)) return true;
  return false;
}

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** PostgreSQL built-ins without side effects (unqualified or in pg_catalog). */
export const PG_SAFE_FUNCTIONS: ReadonlySet<string> = new Set(
  words(`
  count sum avg min max array_agg string_agg bool_and bool_or every bit_and bit_or bit_xor json_agg jsonb_agg
  json_agg_strict jsonb_agg_strict json_object_agg jsonb_object_agg json_object_agg_strict jsonb_object_agg_strict
  json_object_agg_unique jsonb_object_agg_unique json_objectagg json_arrayagg xmlagg any_value range_agg
  range_intersect_agg stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp regr_avgx
  regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy mode percentile_cont
  percentile_disc grouping
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  length char_length character_length octet_length bit_length lower upper initcap substring substr left right
  trim btrim ltrim rtrim lpad rpad replace translate reverse repeat concat concat_ws format position strpos
  split_part string_to_array string_to_table array_to_string regexp_replace regexp_match regexp_matches
  regexp_split_to_array regexp_split_to_table regexp_like regexp_count regexp_instr regexp_substr starts_with
  ascii chr md5 sha224 sha256 sha384 sha512 crc32 crc32c encode decode to_hex to_bin to_oct quote_ident
  quote_literal quote_nullable overlay normalize is_normalized unistr to_ascii casefold similar_to_escape
  like_escape convert_from convert_to convert get_byte get_bit bit_count text textcat
  abs ceil ceiling floor round trunc mod power pow sqrt cbrt exp ln log log10 sign pi degrees radians sin cos tan
  asin acos atan atan2 sind cosd tand asind acosd atand atan2d cot cotd sinh cosh tanh asinh acosh atanh div gcd
  lcm factorial width_bucket random random_normal scale min_scale trim_scale erf erfc gamma lgamma
  numeric int2 int4 int8 float4 float8 bool
  now clock_timestamp statement_timestamp transaction_timestamp timeofday date_part date_trunc date_bin extract
  age make_date make_time make_timestamp make_timestamptz make_interval to_char to_date to_timestamp to_number
  justify_days justify_hours justify_interval isfinite timezone overlaps date_add date_subtract generate_series
  generate_subscripts current_date current_time current_timestamp localtime localtimestamp
  json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb row_to_json
  array_to_json json_array_length jsonb_array_length json_each jsonb_each json_each_text jsonb_each_text
  json_extract_path jsonb_extract_path json_extract_path_text jsonb_extract_path_text json_object_keys
  jsonb_object_keys json_populate_record jsonb_populate_record json_populate_recordset jsonb_populate_recordset
  json_array_elements jsonb_array_elements json_array_elements_text jsonb_array_elements_text json_typeof
  jsonb_typeof json_strip_nulls jsonb_strip_nulls jsonb_set jsonb_set_lax jsonb_insert jsonb_pretty
  jsonb_path_query jsonb_path_exists jsonb_path_match jsonb_path_query_array jsonb_path_query_first
  jsonb_path_query_tz jsonb_path_exists_tz jsonb_path_match_tz jsonb_path_query_array_tz jsonb_path_query_first_tz
  json_to_record jsonb_to_record json_to_recordset jsonb_to_recordset json_object jsonb_object json_scalar
  json_serialize json_array
  array_length array_lower array_upper array_dims array_ndims cardinality array_append array_prepend array_cat
  array_remove array_replace array_position array_positions unnest array_fill trim_array array_sample
  array_shuffle array_reverse array_sort
  num_nonnulls num_nulls
  current_database current_catalog current_schema current_schemas current_user current_role session_user
  system_user user version pg_typeof format_type current_setting pg_backend_pid inet_client_addr
  inet_client_port inet_server_addr inet_server_port pg_postmaster_start_time pg_conf_load_time
  col_description obj_description shobj_description pg_get_viewdef pg_get_constraintdef pg_get_indexdef
  pg_get_expr pg_get_userbyid pg_get_functiondef pg_get_function_arguments pg_get_function_result
  pg_get_triggerdef pg_get_ruledef pg_get_serial_sequence pg_get_statisticsobjdef pg_get_partkeydef
  has_table_privilege has_schema_privilege has_column_privilege has_any_column_privilege has_database_privilege
  has_function_privilege has_sequence_privilege has_type_privilege pg_has_role pg_table_is_visible
  pg_type_is_visible pg_function_is_visible to_regclass to_regtype to_regproc to_regprocedure to_regnamespace
  to_regrole to_regtypemod pg_relation_size pg_total_relation_size pg_table_size pg_indexes_size pg_size_pretty
  pg_size_bytes pg_database_size pg_column_size pg_relation_filenode pg_collation_for pg_encoding_to_char
  pg_char_to_encoding pg_client_encoding pg_input_is_valid pg_input_error_info pg_get_keywords
  gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp uuid_extract_version
  host hostmask network netmask masklen broadcast family abbrev set_masklen inet_merge inet_same_family
  to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd ts_headline
  setweight strip tsvector_to_array array_to_tsvector numnode querytree ts_delete ts_filter get_current_ts_config
  xpath xpath_exists xml_is_well_formed xml_is_well_formed_document xml_is_well_formed_content xmlcomment xmltext
  lower_inc upper_inc lower_inf upper_inf isempty range_merge multirange
  point line lseg box path polygon circle area center diameter radius height width npoints isclosed isopen
  st_astext
`),
);

/** PostgreSQL built-in operators (unqualified or OPERATOR(pg_catalog.x)). */
export const PG_SAFE_OPERATORS: ReadonlySet<string> = new Set(
  words(`
  = <> != < > <= >= + - * / % ^ || |/ ||/ @ & | # ~ << >> ~~ !~~ ~~* !~~* ~* !~ !~* @> <@ && -> ->> #> #>> ? ?| ?&
  @? @@ @@@ #- <-> &< &> <<| |>> &<| |&> <^ >^ ?# ?- ?-| ?|| ~= <<= >>= -|- !!
`),
);

/** MySQL / MariaDB built-ins without side effects. */
export const MYSQL_SAFE_FUNCTIONS: ReadonlySet<string> = new Set(
  words(`
  count sum avg min max group_concat std stddev stddev_pop stddev_samp var_pop var_samp variance bit_and bit_or
  bit_xor json_arrayagg json_objectagg any_value
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  concat concat_ws length char_length character_length octet_length bit_length lower lcase upper ucase substring
  substr mid left right trim ltrim rtrim replace reverse repeat lpad rpad locate instr position field find_in_set
  format hex unhex ascii ord char space strcmp soundex quote insert elt make_set export_set bin oct conv
  regexp_like regexp_replace regexp_substr regexp_instr to_base64 from_base64 md5 sha sha1 sha2 crc32 uuid
  uuid_short weight_string collation charset coercibility convert cast binary natural_sort_key sformat
  abs ceil ceiling floor round truncate mod pow power sqrt exp ln log log2 log10 sign pi sin cos tan asin acos atan
  atan2 cot degrees radians greatest least rand crc32c
  now curdate current_date curtime current_time current_timestamp localtime localtimestamp sysdate utc_date
  utc_time utc_timestamp date time timestamp year month day dayofmonth dayofweek dayofyear weekday week weekofyear
  yearweek hour minute second microsecond quarter monthname dayname date_add date_sub adddate subdate addtime
  subtime datediff timediff timestampdiff timestampadd date_format time_format str_to_date from_unixtime
  unix_timestamp from_days to_days to_seconds sec_to_time time_to_sec makedate maketime last_day period_add
  period_diff extract convert_tz get_format
  if ifnull nullif coalesce isnull exists interval
  json_extract json_unquote json_object json_array json_contains json_contains_path json_keys json_length
  json_type json_valid json_search json_depth json_pretty json_quote json_set json_insert json_replace json_remove
  json_array_append json_array_insert json_merge json_merge_patch json_merge_preserve json_overlaps json_value
  json_storage_size json_storage_free json_schema_valid json_schema_validation_report json_compact json_detailed
  json_loose json_exists json_query json_normalize json_equals json_object_filter_keys json_object_to_array
  json_array_intersect
  database schema user current_user session_user system_user version connection_id found_rows row_count
  inet_aton inet_ntoa inet6_aton inet6_ntoa is_ipv4 is_ipv6 is_ipv4_compat is_ipv4_mapped is_uuid uuid_to_bin
  bin_to_uuid values row grouping
`),
);
