import type { DiagnosticCode } from '../base/errors.js';

/** The languages diagnostics are written in. */
export type Locale = 'en' | 'zh';

type Params = Record<string, string | number | undefined>;

interface MessageDef {
  code: DiagnosticCode;
  en: (p: Params) => string;
  zh: (p: Params) => string;
}

const q = (s: string | number | undefined): string => `\`${String(s)}\``;

/**
 * Every message the config loader can produce, in both languages side by side, so a new
 * message cannot be added in one language only. Keyed by message id (one code may have
 * several messages: an unknown state as a transition target, as the initial state, ...).
 */
export const MESSAGES = {
  yamlSyntax: {
    code: 'CONFIG_YAML_SYNTAX',
    en: (p) => `YAML syntax error: ${p.detail}`,
    zh: (p) => `YAML 语法错误：${p.detail}`,
  },
  notJson: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `the config holds a value JSON cannot represent (such as .inf or .nan): ${p.detail}`,
    zh: (p) => `配置中含有 JSON 无法表示的值（如 .inf、.nan）：${p.detail}`,
  },
  yamlWarning: {
    code: 'CONFIG_YAML_SYNTAX',
    en: (p) => `YAML warning: ${p.detail}`,
    zh: (p) => `YAML 警告：${p.detail}`,
  },
  duplicateKey: {
    code: 'CONFIG_DUPLICATE_ID',
    en: (p) => `key ${q(p.key)} appears twice in the same map; the second would silently replace the first`,
    zh: (p) => `同一映射中键 ${q(p.key)} 出现两次，后者会覆盖前者`,
  },
  fileNotFound: {
    code: 'CONFIG_FILE_NOT_FOUND',
    en: (p) => `cannot read ${p.file}`,
    zh: (p) => `无法读取 ${p.file}`,
  },
  unknownKey: {
    code: 'CONFIG_UNKNOWN_KEY',
    en: (p) => `unknown key ${q(p.key)}${p.where ? ` in ${p.where}` : ''}`,
    zh: (p) => `未知的键 ${q(p.key)}${p.where ? `（位于 ${p.where}）` : ''}`,
  },
  wrongType: {
    code: 'CONFIG_WRONG_TYPE',
    en: (p) => `expected ${p.expected}, found ${p.actual}`,
    zh: (p) => `应为 ${p.expected}，实际为 ${p.actual}`,
  },
  missingKey: {
    code: 'CONFIG_MISSING_KEY',
    en: (p) => `missing required key ${q(p.key)}`,
    zh: (p) => `缺少必填的键 ${q(p.key)}`,
  },
  badEnum: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `${q(p.value)} is not one of: ${p.allowed}`,
    zh: (p) => `${q(p.value)} 不是允许的值之一：${p.allowed}`,
  },
  tooSmall: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `${p.value} is too small: must be at least ${p.limit}`,
    zh: (p) => `${p.value} 过小：不得小于 ${p.limit}`,
  },
  tooLarge: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `${p.value} is too large: must be at most ${p.limit}`,
    zh: (p) => `${p.value} 过大：不得大于 ${p.limit}`,
  },
  badPattern: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `${q(p.value)} does not have the expected form ${p.pattern}`,
    zh: (p) => `${q(p.value)} 格式不符合 ${p.pattern}`,
  },
  tooFew: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `needs at least ${p.limit} item(s)`,
    zh: (p) => `至少需要 ${p.limit} 项`,
  },
  emptyString: {
    code: 'CONFIG_BAD_VALUE',
    en: () => 'must not be empty',
    zh: () => '不得为空',
  },
  badConst: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `must be ${q(p.expected)}`,
    zh: (p) => `必须为 ${q(p.expected)}`,
  },
  oneOf: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `must have exactly one of ${p.alternatives}`,
    zh: (p) => `必须且只能包含以下之一：${p.alternatives}`,
  },
  dependent: {
    code: 'CONFIG_MISSING_KEY',
    en: (p) => `${q(p.key)} needs ${q(p.missing)} beside it`,
    zh: (p) => `${q(p.key)} 需要同时写出 ${q(p.missing)}`,
  },
  schemaOther: {
    code: 'CONFIG_SCHEMA',
    en: (p) => `does not match the schema: ${p.detail}`,
    zh: (p) => `不符合模式：${p.detail}`,
  },
  removeNotTrue: {
    code: 'CONFIG_BAD_VALUE',
    en: () => '`$remove` must be `true` (drop the key to keep the inherited entry)',
    zh: () => '`$remove` 只能为 `true`（如要保留继承的条目，请删去此键）',
  },
  removeWithContent: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `an entry that removes ${q(p.key)} cannot also define it`,
    zh: (p) => `删除 ${q(p.key)} 的条目不能同时定义其内容`,
  },
  removeNothing: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) => `\`$remove\` drops ${q(p.key)}, but nothing is inherited under that name`,
    zh: (p) => `\`$remove\` 删除 ${q(p.key)}，但并未继承同名条目`,
  },
  extendsType: {
    code: 'CONFIG_WRONG_TYPE',
    en: () => '`extends` must be a path (a string) relative to this file',
    zh: () => '`extends` 必须是相对于本文件的路径（字符串）',
  },
  extendsNotFound: {
    code: 'CONFIG_EXTENDS_NOT_FOUND',
    en: (p) => `the parent config ${q(p.target)} does not exist (looked for ${p.path})`,
    zh: (p) => `上级配置 ${q(p.target)} 不存在（查找路径 ${p.path}）`,
  },
  fileOutside: {
    code: 'CONFIG_FILE_REFUSED',
    en: (p) =>
      `${q(p.target)} lies outside the folders this config may read (${p.roots}): keep it in the project, name it by its package, or list its folder in \`allowedRoots\``,
    zh: (p) =>
      `${q(p.target)} 位于本配置可读取的目录（${p.roots}）之外：请放入项目内、以包名引用，或将其目录列入 \`allowedRoots\``,
  },
  fileNotRegular: {
    code: 'CONFIG_FILE_REFUSED',
    en: (p) => `${q(p.target)} is not a regular file (a directory, device or pipe): name a file`,
    zh: (p) => `${q(p.target)} 不是普通文件（目录、设备或管道）：请引用文件`,
  },
  fileTooLarge: {
    code: 'CONFIG_FILE_REFUSED',
    en: (p) =>
      `${q(p.target)} is larger than ${p.limit} bytes: split it, or raise \`maxFileBytes\` if it is meant to be this large`,
    zh: (p) => `${q(p.target)} 超过 ${p.limit} 字节：请拆分，或在确需时调高 \`maxFileBytes\``,
  },
  fileUnreadable: {
    code: 'CONFIG_FILE_REFUSED',
    en: (p) => `${q(p.target)} cannot be read: check its permissions`,
    zh: (p) => `${q(p.target)} 无法读取：请检查权限`,
  },
  textTooLarge: {
    code: 'CONFIG_FILE_REFUSED',
    en: (p) =>
      `the config text is ${p.size} characters, more than the limit of ${p.limit}: split it, or raise \`maxFileBytes\``,
    zh: (p) => `配置文本有 ${p.size} 个字符，超过上限 ${p.limit}：请拆分，或调高 \`maxFileBytes\``,
  },
  reservedName: {
    code: 'CONFIG_RESERVED_NAME',
    en: (p) =>
      `${q(p.key)} cannot be a name in a config: every object already has a member of that name; choose another`,
    zh: (p) => `${q(p.key)} 不能用作配置中的名称：所有对象都已有同名成员；请换一个名称`,
  },
  badSchema: {
    code: 'CONFIG_BAD_SCHEMA',
    en: (p) => `${p.what} is not a valid JSON Schema (draft 2020-12): ${p.detail}`,
    zh: (p) => `${p.what}不是有效的 JSON Schema（2020-12）：${p.detail}`,
  },
  badRegex: {
    code: 'CONFIG_BAD_SCHEMA',
    en: (p) => `${q(p.pattern)} is not a valid regular expression (Unicode mode): ${p.detail}`,
    zh: (p) => `${q(p.pattern)} 不是有效的正则表达式（Unicode 模式）：${p.detail}`,
  },
  badTimezone: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `${q(p.zone)} is not an IANA time zone this runtime knows (such as Asia/Shanghai)`,
    zh: (p) => `${q(p.zone)} 不是本运行环境已知的 IANA 时区（例如 Asia/Shanghai）`,
  },
  extendsCycle: {
    code: 'CONFIG_EXTENDS_CYCLE',
    en: (p) => `\`extends\` goes round in a circle: ${p.chain}`,
    zh: (p) => `\`extends\` 形成循环：${p.chain}`,
  },
  unknownStateTarget: {
    code: 'CONFIG_UNKNOWN_STATE',
    en: (p) => `transition ${q(p.event)} goes to ${q(p.state)}, which is not a state of the process`,
    zh: (p) => `转移 ${q(p.event)} 的目标 ${q(p.state)} 不是流程中的状态`,
  },
  unknownInitial: {
    code: 'CONFIG_UNKNOWN_STATE',
    en: (p) => `the initial state ${q(p.state)} is not a state of the process`,
    zh: (p) => `初始状态 ${q(p.state)} 不是流程中的状态`,
  },
  unknownPauseState: {
    code: 'CONFIG_UNKNOWN_STATE',
    en: (p) => `deadline ${q(p.deadline)} is paused by ${q(p.state)}, which is not a state of the process`,
    zh: (p) => `期限 ${q(p.deadline)} 的暂停状态 ${q(p.state)} 不是流程中的状态`,
  },
  unknownExceptState: {
    code: 'CONFIG_UNKNOWN_STATE',
    en: (p) => `common group ${q(p.group)} leaves out ${q(p.state)}, which is not a state of the process`,
    zh: (p) => `公共命令组 ${q(p.group)} 排除的 ${q(p.state)} 不是流程中的状态`,
  },
  commonSelectsNothing: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `common group ${q(p.group)} selects no state (check its \`stages\` and \`except\`): its commands are never available`,
    zh: (p) => `公共命令组 ${q(p.group)} 未选中任何状态（请检查 \`stages\` 与 \`except\`），其命令不会生效`,
  },
  unknownReceptionUnit: {
    code: 'CONFIG_UNKNOWN_UNIT',
    en: (p) =>
      `reception days ${q(p.id)} name the unit ${q(p.unit)}, which is not a unit declared under \`units\``,
    zh: (p) => `接访日 ${q(p.id)} 的单位 ${q(p.unit)} 不是 \`units\` 中声明的单位`,
  },
  unknownGuardUnit: {
    code: 'CONFIG_UNKNOWN_UNIT',
    en: (p) =>
      `the guard of ${q(p.event)} reserves it to the unit ${q(p.unit)}, which is not a unit declared under \`units\``,
    zh: (p) => `${q(p.event)} 的守卫条件限定的单位 ${q(p.unit)} 不是 \`units\` 中声明的单位`,
  },
  badLocalDayOff: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) => `local day off: ${p.problem} (calendar ${q(p.calendar)})`,
    zh: (p) => `本地休息日：${p.problem}（日历 ${q(p.calendar)}）`,
  },
  unknownParam: {
    code: 'CONFIG_UNKNOWN_KEY',
    en: (p) => `${p.kind} ${q(p.type)} has no parameter ${q(p.param)} (its parameters: ${p.known})`,
    zh: (p) =>
      `${p.kind === 'guard' ? '守卫条件' : '动作'} ${q(p.type)} 没有参数 ${q(p.param)}（其参数：${p.known}）`,
  },
  missingParam: {
    code: 'CONFIG_MISSING_KEY',
    en: (p) => `${p.kind} ${q(p.type)} needs the parameter ${q(p.param)}`,
    zh: (p) => `${p.kind === 'guard' ? '守卫条件' : '动作'} ${q(p.type)} 缺少参数 ${q(p.param)}`,
  },
  unknownDecision: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `${q(p.event)} names the decision ${q(p.decision)}, which no step records (\`recordDecision\` with \`as: ${p.decision}\`)`,
    zh: (p) =>
      `${q(p.event)} 引用的决定 ${q(p.decision)} 没有任何步骤记录（\`recordDecision\` 的 \`as: ${p.decision}\`）`,
  },
  unknownPayloadField: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `${q(p.event)} takes the unit from payload field ${q(p.field)}, which its payload does not declare (payload.properties)`,
    zh: (p) => `${q(p.event)} 从载荷字段 ${q(p.field)} 取单位，但其载荷未声明该字段（payload.properties）`,
  },
  unknownRuleSetEvent: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `rule set ${q(p.ruleSet)} runs on ${q(p.event)}, which is neither submit nor a command of the process`,
    zh: (p) => `规则集 ${q(p.ruleSet)} 的触发事件 ${q(p.event)} 既不是 submit 也不是流程中的命令`,
  },
  unknownRole: {
    code: 'CONFIG_UNKNOWN_ROLE',
    en: (p) => `${q(p.role)} is not a role declared under \`roles\``,
    zh: (p) => `${q(p.role)} 不是 \`roles\` 中声明的角色`,
  },
  unknownDeadline: {
    code: 'CONFIG_UNKNOWN_DEADLINE',
    en: (p) => `${q(p.deadline)} is not a deadline declared under \`deadlines\``,
    zh: (p) => `${q(p.deadline)} 不是 \`deadlines\` 中声明的期限`,
  },
  unknownDocument: {
    code: 'CONFIG_UNKNOWN_DOCUMENT',
    en: (p) => `${q(p.document)} is not a document declared under \`documents\``,
    zh: (p) => `${q(p.document)} 不是 \`documents\` 中声明的文书`,
  },
  unknownGround: {
    code: 'CONFIG_UNKNOWN_GROUND',
    en: (p) =>
      `${q(p.ground)} is not a liability ground declared under \`supervision.grounds\`; declare it there with the article and item it rests on`,
    zh: (p) => `${q(p.ground)} 不是 \`supervision.grounds\` 中声明的责任情形；请在那里声明并写明所依据的条款`,
  },
  unknownUnit: {
    code: 'CONFIG_UNKNOWN_UNIT',
    en: (p) =>
      `unit ${q(p.unit)} names the parent ${q(p.parent)}, which is not a unit declared under \`units\``,
    zh: (p) => `单位 ${q(p.unit)} 的上级 ${q(p.parent)} 不是 \`units\` 中声明的单位`,
  },
  unknownSuccessor: {
    code: 'CONFIG_UNKNOWN_UNIT',
    en: (p) =>
      `unit ${q(p.unit)} names the successor ${q(p.successor)}, which is not a unit declared under \`units\``,
    zh: (p) => `单位 ${q(p.unit)} 的承接机关 ${q(p.successor)} 不是 \`units\` 中声明的单位`,
  },
  successorDissolved: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) =>
      `unit ${q(p.unit)} names the successor ${q(p.successor)}, which is itself dissolved (or the same unit): name the body that now holds the matters`,
    zh: (p) =>
      `单位 ${q(p.unit)} 的承接机关 ${q(p.successor)} 本身已撤销（或为同一单位）：请写明现在承接信访事项的机关`,
  },
  unknownLine: {
    code: 'CONFIG_UNKNOWN_UNIT',
    en: (p) =>
      `unit ${q(p.unit)} names the line department ${q(p.line)}, which is not a unit declared under \`units\``,
    zh: (p) => `单位 ${q(p.unit)} 的上一级主管部门 ${q(p.line)} 不是 \`units\` 中声明的单位`,
  },
  lineNotAbove: {
    code: 'CONFIG_UNIT_LINE',
    en: (p) =>
      `unit ${q(p.unit)} (${p.level}) names ${q(p.line)} (${p.lineLevel}, ${p.lineKind}) as its line department; the competent department one level up (reg-2022 art. 35) must be one level above and not a government${p.government ? ' (a government has no line department: its own superior is the government above)' : ''}`,
    zh: (p) =>
      `单位 ${q(p.unit)}（${p.level}）的上一级主管部门 ${q(p.line)}（${p.lineLevel}，${p.lineKind}）应高一级且不是人民政府（reg-2022 art. 35）${p.government ? '；人民政府没有上一级主管部门，其上一级是上一级人民政府' : ''}`,
  },
  noReviewBody: {
    code: 'CONFIG_LADDER_INCOMPLETE',
    en: (p) =>
      `unit ${q(p.unit)} (${p.name}) issues handling opinions, but no body can review them: it has neither ${p.wanted} among its parents nor a \`line\` department one level up (reg-2022 art. 35); add one, or mark the unit \`opinions: false\``,
    zh: (p) =>
      `单位 ${q(p.unit)}（${p.name}）出具信访处理意见书，但没有复查机关：上级中没有${p.wanted}，也没有上一级主管部门（\`line\`）（reg-2022 art. 35）；请补充，或将该单位标为 \`opinions: false\``,
  },
  noReexaminationBody: {
    code: 'CONFIG_LADDER_INCOMPLETE',
    en: (p) =>
      `unit ${q(p.unit)} (${p.name}) issues handling opinions, which ${q(p.reviewer)} (${p.reviewerName}) may review, but no body can re-examine that review: ${q(p.reviewer)} has neither a government one level up nor a \`line\` department one level up (reg-2022 art. 36)`,
    zh: (p) =>
      `单位 ${q(p.unit)}（${p.name}）的处理意见可由 ${q(p.reviewer)}（${p.reviewerName}）复查，但该复查无复核机关：${q(p.reviewer)} 既无上一级人民政府，也无上一级主管部门（reg-2022 art. 36）`,
  },
  unknownSectionField: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) => `form section ${q(p.section)} lists ${q(p.field)}, which is not a field of the form schema`,
    zh: (p) => `表单分区 ${q(p.section)} 列出的 ${q(p.field)} 不是登记表单的字段`,
  },
  unknownRegisterCommand: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `register field ${q(p.field)} is filled by ${q(p.event)}, which is neither SUBMITTED nor a command of the process`,
    zh: (p) => `登记表字段 ${q(p.field)} 取自 ${q(p.event)}，但它既不是 SUBMITTED 也不是流程中的命令`,
  },
  unknownRegisterPayload: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `register field ${q(p.field)} reads ${q(p.path)} of ${q(p.event)}, whose payload declares no field ${q(p.name)}`,
    zh: (p) =>
      `登记表字段 ${q(p.field)} 读取 ${q(p.event)} 的 ${q(p.path)}，但该命令的载荷没有字段 ${q(p.name)}`,
  },
  unknownRegisterDocument: {
    code: 'CONFIG_UNKNOWN_DOCUMENT',
    en: (p) =>
      `register field ${q(p.field)} reads the document ${q(p.document)}, which is not declared under \`documents\``,
    zh: (p) => `登记表字段 ${q(p.field)} 读取的文书 ${q(p.document)} 不是 \`documents\` 中声明的文书`,
  },
  unknownRegisterDeadline: {
    code: 'CONFIG_UNKNOWN_DEADLINE',
    en: (p) =>
      `register field ${q(p.field)} reads the deadline ${q(p.deadline)}, which is not declared under \`deadlines\``,
    zh: (p) => `登记表字段 ${q(p.field)} 读取的期限 ${q(p.deadline)} 不是 \`deadlines\` 中声明的期限`,
  },
  unknownRegisterRuleSet: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) =>
      `register field ${q(p.field)} reads the rule set ${q(p.ruleSet)}, which is not declared under \`ruleSets\``,
    zh: (p) => `登记表字段 ${q(p.field)} 读取的规则集 ${q(p.ruleSet)} 不是 \`ruleSets\` 中声明的规则集`,
  },
  unknownRegisterPetitionField: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) => `register field ${q(p.field)} reads ${q(p.path)}, which is not a field of the form schema`,
    zh: (p) => `登记表字段 ${q(p.field)} 读取的 ${q(p.path)} 不是登记表单的字段`,
  },
  registerFieldTwice: {
    code: 'CONFIG_DUPLICATE_ID',
    en: (p) =>
      `register field ${q(p.field)} is in form section ${q(p.section)} and already in ${q(p.first)}; a field is filled once`,
    zh: (p) => `登记表字段 ${q(p.field)} 已在分区 ${q(p.first)} 中，不能再列入 ${q(p.section)}`,
  },
  unknownReportField: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) => `reports read ${q(p.key)} from ${q(p.field)}, which is not a field of the form schema`,
    zh: (p) => `报表的 ${q(p.key)} 取自 ${q(p.field)}，但它不是登记表单的字段`,
  },
  sectionStageTwice: {
    code: 'CONFIG_BAD_VALUE',
    en: (p) =>
      `stage ${q(p.stage)} is in form section ${q(p.section)} and already in ${q(p.first)}; the board places each stage in one section`,
    zh: (p) =>
      `阶段 ${q(p.stage)} 已属于表单分区 ${q(p.first)}，不能再列入 ${q(p.section)}：三色看板中每个阶段只属于一个分区`,
  },
  unitCycle: {
    code: 'CONFIG_UNIT_CYCLE',
    en: (p) => `units are their own ancestors: ${p.chain}`,
    zh: (p) => `单位的上下级关系形成循环：${p.chain}`,
  },
  unknownRuleSet: {
    code: 'CONFIG_UNKNOWN_REFERENCE',
    en: (p) => `${q(p.ruleSet)} is not a rule set declared under \`ruleSets\``,
    zh: (p) => `${q(p.ruleSet)} 不是 \`ruleSets\` 中声明的规则集`,
  },
  unknownGuard: {
    code: 'CONFIG_UNKNOWN_GUARD',
    en: (p) => `unknown guard type ${q(p.type)}; known guards: ${p.known}`,
    zh: (p) => `未知的守卫类型 ${q(p.type)}；已知守卫：${p.known}`,
  },
  unknownAction: {
    code: 'CONFIG_UNKNOWN_ACTION',
    en: (p) => `unknown action type ${q(p.type)}; known actions: ${p.known}`,
    zh: (p) => `未知的动作类型 ${q(p.type)}；已知动作：${p.known}`,
  },
  duplicateId: {
    code: 'CONFIG_DUPLICATE_ID',
    en: (p) => `id ${q(p.id)} is used twice in this list (first at line ${p.firstLine})`,
    zh: (p) => `此列表中 id ${q(p.id)} 重复（首次出现于第 ${p.firstLine} 行）`,
  },
  templateMissing: {
    code: 'CONFIG_TEMPLATE',
    en: (p) => `template ${q(p.template)} of document ${q(p.document)} does not exist (looked for ${p.path})`,
    zh: (p) => `文书 ${q(p.document)} 的模板 ${q(p.template)} 不存在（查找路径 ${p.path}）`,
  },
  unknownCalendar: {
    code: 'CONFIG_UNKNOWN_CALENDAR',
    en: (p) => `calendar ${q(p.calendar)} is not loaded and no file was found (looked in ${p.looked})`,
    zh: (p) => `日历 ${q(p.calendar)} 未加载，也未找到文件（查找位置 ${p.looked}）`,
  },
  badCalendar: {
    code: 'CONFIG_UNKNOWN_CALENDAR',
    en: (p) => `calendar ${q(p.calendar)} at ${p.path} could not be loaded: ${p.detail}`,
    zh: (p) => `日历 ${q(p.calendar)}（${p.path}）无法加载：${p.detail}`,
  },
  lengthenedDeadline: {
    code: 'CONFIG_LENGTHENED_DEADLINE',
    en: (p) =>
      `deadline ${q(p.deadline)} (${p.child}) can end later than the parent's (${p.parent})${p.witness ? `: ${p.witness}` : ''}; ${p.basis} sets it, and a jurisdiction may shorten it, never lengthen it`,
    zh: (p) =>
      `期限 ${q(p.deadline)}（${p.child}）可能晚于上级配置（${p.parent}）届满${p.witness ? `：${p.witness}` : ''}；该期限由 ${p.basis} 规定，下级只能缩短，不得延长`,
  },
  localDayOffOnWorkday: {
    code: 'CONFIG_LOCAL_DAY_OFF_ON_WORKDAY',
    en: (p) =>
      `local day off ${p.date} (${q(p.name)}) is a national adjusted working day of calendar ${q(p.calendar)} (${p.workday}): the national schedule moved a rest day away from it, so taking it off again ends this jurisdiction's periods later than the Regulations allow; remove it, or name a day that is not a national working day`,
    zh: (p) =>
      `本地休息日 ${p.date}（${q(p.name)}）是日历 ${q(p.calendar)} 的全国调休上班日（${p.workday}）：国家已将休息日调离该日，再设为休息日会使本地期限晚于条例规定届满；请删除，或改为非全国工作日的日期`,
  },
  shortenedRight: {
    code: 'CONFIG_SHORTENED_RIGHT',
    en: (p) =>
      `period ${q(p.deadline)} (${p.child}) can end earlier than the parent's (${p.parent})${p.witness ? `: ${p.witness}` : ''}; it is the petitioner's right under ${p.basis} (bound: floor), and a jurisdiction may lengthen it, never shorten it`,
    zh: (p) =>
      `期限 ${q(p.deadline)}（${p.child}）可能早于上级配置（${p.parent}）届满${p.witness ? `：${p.witness}` : ''}；该期限是 ${p.basis} 赋予信访人的权利（bound: floor），下级只能延长，不得缩短`,
  },
  changedBound: {
    code: 'CONFIG_CHANGED_BOUND',
    en: (p) =>
      `period ${q(p.deadline)} is marked bound: ${p.parent} by the parent (${p.basis}); a jurisdiction may not mark it ${p.child || 'otherwise'}: a body's duty stays a ceiling and a petitioner's right a floor`,
    zh: (p) =>
      `期限 ${q(p.deadline)} 在上级配置中标为 bound: ${p.parent}（${p.basis}）；下级不得改为 ${p.child || '其他'}：机关的职责期限只能缩短，信访人的权利期限只能延长`,
  },
  lengthenedExtension: {
    code: 'CONFIG_LENGTHENED_DEADLINE',
    en: (p) =>
      `deadline ${q(p.deadline)} with its longest extension (${p.child}) can end later than the parent's (${p.parent})${p.witness ? `: ${p.witness}` : ''}; ${p.basis} limits the extension, and a jurisdiction may shorten it, never lengthen it`,
    zh: (p) =>
      `期限 ${q(p.deadline)} 连同最长延期（${p.child}）可能晚于上级配置（${p.parent}）届满${p.witness ? `：${p.witness}` : ''}；延期上限由 ${p.basis} 规定，下级只能缩短，不得延长`,
  },
  witness: {
    code: 'CONFIG_LENGTHENED_DEADLINE',
    en: (p) => `started on ${p.start} it ends on ${p.child}, the parent's on ${p.parent}`,
    zh: (p) => `自 ${p.start} 起算，于 ${p.child} 届满，而上级配置于 ${p.parent} 届满`,
  },
  removedStatutoryDeadline: {
    code: 'CONFIG_REMOVED_STATUTORY_ITEM',
    en: (p) => `the statutory deadline ${q(p.deadline)} cannot be removed or made non-statutory: ${p.basis}`,
    zh: (p) => `法定期限 ${q(p.deadline)} 不得删除或改为非法定：${p.basis}`,
  },
  removedStatutoryNotice: {
    code: 'CONFIG_REMOVED_STATUTORY_NOTICE',
    en: (p) => `the statutory notice ${q(p.document)} cannot be removed or made non-statutory: ${p.basis}`,
    zh: (p) => `法定告知文书 ${q(p.document)} 不得删除或改为非法定：${p.basis}`,
  },
  removedNoticeFromStep: {
    code: 'CONFIG_REMOVED_STATUTORY_NOTICE',
    en: (p) =>
      `${p.step} no longer issues the statutory notice ${q(p.document)} that the parent issues there: ${p.basis}`,
    zh: (p) => `${p.step} 不再出具上级配置在此出具的法定告知文书 ${q(p.document)}：${p.basis}`,
  },
  removedStage: {
    code: 'CONFIG_REMOVED_STAGE',
    en: (p) =>
      `no state of the process is in stage ${q(p.stage)} any more, which the parent's process has (${p.basis})`,
    zh: (p) => `流程中已无处于 ${q(p.stage)} 阶段的状态，而上级配置的流程包含该阶段（${p.basis}）`,
  },
  // rule sets (checkRuleSets); values arrive quoted as JSON (`"x"`), as rule authors write them
  ruleUnknownFact: {
    code: 'CONFIG_RULE',
    en: (p) => `unknown fact ${p.fact}`,
    zh: (p) => `未知的事实 ${p.fact}`,
  },
  ruleSetShadowsFact: {
    code: 'CONFIG_RULE',
    en: (p) => `rule set ${p.ruleSet} has the name of a fact; its outcome would hide that fact`,
    zh: (p) => `规则集 ${p.ruleSet} 与事实同名，其结果会遮蔽该事实`,
  },
  ruleConditionRef: {
    code: 'CONFIG_RULE',
    en: (p) =>
      `condition reference ${p.condition}: a config declares no shared conditions; write the condition out`,
    zh: (p) => `条件引用 ${p.condition}：配置不声明共享条件，请写出完整条件`,
  },
  ruleUnknownOperator: {
    code: 'CONFIG_RULE',
    en: (p) => `unknown operator ${p.operator}`,
    zh: (p) => `未知的运算符 ${p.operator}`,
  },
  ruleWithinDays: {
    code: 'CONFIG_RULE',
    en: (p) => `withinDays needs a number of days or { days, unit: calendar | working }, got ${p.value}`,
    zh: (p) => `withinDays 需要天数或 { days, unit: calendar | working }，实际为 ${p.value}`,
  },
  ruleWorkingDaysSince: {
    code: 'CONFIG_RULE',
    en: (p) => `workingDaysSince needs a number (at most) or { atLeast, atMost }, got ${p.value}`,
    zh: (p) => `workingDaysSince 需要一个数（至多）或 { atLeast, atMost }，实际为 ${p.value}`,
  },
  ruleDateValue: {
    code: 'CONFIG_RULE',
    en: (p) => `${p.operator} needs a date, an instant or "today", got ${p.value}`,
    zh: (p) => `${p.operator} 需要日期、时刻或 "today"，实际为 ${p.value}`,
  },
  rulePathForm: {
    code: 'CONFIG_RULE',
    en: (p) => `path ${p.path} is not of the form $.field.sub[0][*] that rules support`,
    zh: (p) => `路径 ${p.path} 不符合规则支持的 $.field.sub[0][*] 形式`,
  },
  rulePetitionPath: {
    code: 'CONFIG_RULE',
    en: (p) => `petition path ${p.path}: ${p.field} is not a field of the registration form`,
    zh: (p) => `信访事项路径 ${p.path}：${p.field} 不是登记表单的字段`,
  },
  ruleConditionValue: {
    code: 'CONFIG_RULE',
    en: (p) => `condition on ${p.fact}: ${p.value} is not ${p.what}, so the rule would never match`,
    zh: (p) => `关于 ${p.fact} 的条件：${p.value} 不是${p.what}，该规则永远不会命中`,
  },
  ruleOutcomeValue: {
    code: 'CONFIG_RULE',
    en: (p) => `outcome ${p.key} ${p.value} is not ${p.what}`,
    zh: (p) => `结果 ${p.key} 的值 ${p.value} 不是${p.what}`,
  },
  ruleOverlap: {
    code: 'CONFIG_RULE_OVERLAP',
    en: (p) =>
      `rules ${p.a} and ${p.b} of unique rule set ${p.ruleSet} both match the same input (${p.witness})`,
    zh: (p) =>
      `唯一命中（unique）规则集 ${p.ruleSet} 的规则 ${p.a} 与 ${p.b} 会同时匹配同一输入（${p.witness}）`,
  },
} satisfies Record<string, MessageDef>;

/** Id of a message in {@link MESSAGES}. */
export type MessageId = keyof typeof MESSAGES;

/** The message text for `id` in `locale`. */
export function message(id: MessageId, locale: Locale, params: Params = {}): string {
  const def: MessageDef = MESSAGES[id];
  return def[locale](params);
}

/** The code a message is reported under. */
export function messageCode(id: MessageId): DiagnosticCode {
  return (MESSAGES[id] as MessageDef).code;
}

/** "did you mean ...?" in the requested language. */
export function didYouMean(name: string, locale: Locale): string {
  return locale === 'zh' ? `是否应为 \`${name}\`？` : `did you mean \`${name}\`?`;
}

/** The hint for a number or boolean where a string is expected: YAML typed it. */
export function quoteHint(locale: Locale): string {
  return locale === 'zh' ? '请给该值加引号' : 'quote the value to make it a string';
}
